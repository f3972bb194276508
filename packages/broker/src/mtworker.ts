// mtserver's worker thread: a REP socket on inproc that answers "World" to one request at a time.
// Talks to: mtserver.ts's DEALER over inproc (same process, other thread); reports to it by postMessage.
// Run: not by itself; `pnpm --filter broker mtserver` starts these threads.
import { setTimeout as sleep } from "node:timers/promises";
import { isMainThread, type MessagePort, parentPort, workerData } from "node:worker_threads";
import { describeFrame, messagesOf, roleLog } from "@zmq-patterns/helpers";
import { Reply } from "zeromq";
import { STOP_THREAD, type ThreadReport } from "./protocol.ts";

export interface MtWorkerData {
  /** The server's inproc endpoint: reachable only from this process, from any of its threads. */
  endpoint: string;
  workMs: number;
  reply: string;
  name: string;
}

/** Serves until the main thread says STOP_THREAD; returns how many requests it answered. */
export async function runMtWorker(data: MtWorkerData, port: MessagePort): Promise<number> {
  const log = roleLog(data.name);
  const socket = new Reply({ linger: 0 });
  // Stopped by a message, never terminated: closing the socket ends the loop below, and the
  // thread returns by itself. (Terminating a thread with a receive pending aborts the process.)
  const stopping = new AbortController();
  const onMessage = (message: unknown) => {
    if (message !== STOP_THREAD) return;
    stopping.abort(); // ends the work in progress too
    socket.close();
  };
  port.on("message", onMessage);
  socket.connect(data.endpoint); // works across threads: every thread shares zeromq's global context
  const report = (message: ThreadReport) => port.postMessage(message);
  report({ type: "ready" });

  let served = 0;
  const dropped = () => log.warn("the REP socket dropped a request without an empty delimiter");
  for await (const request of messagesOf(socket, dropped)) {
    if (request.length !== 1) {
      log.warn(`bad request: expected 1 frame, got ${request.length}`);
      if (socket.closed) break;
      await socket.send(`error: expected 1 frame, got ${request.length}`);
      continue;
    }
    served += 1;
    log.info(`received ${describeFrame(request[0]!)} (${served})`);
    try {
      await sleep(data.workMs, undefined, { signal: stopping.signal }); // "work": this thread only
    } catch (error) {
      if (!stopping.signal.aborted) throw error;
    }
    if (socket.closed) break; // stopped while working: this reply is never sent
    await socket.send(data.reply);
  }

  log.info(`stopped after answering ${served} requests`);
  report({ type: "stopped", served });
  port.off("message", onMessage); // nothing left to wait for: the thread ends
  return served;
}

if (!isMainThread && parentPort) {
  await runMtWorker(workerData as MtWorkerData, parentPort);
}
