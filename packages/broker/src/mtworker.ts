// mtserver's worker thread: a REP socket on inproc that answers "World" to one request at a time.
// Talks to: mtserver.ts's DEALER over inproc (same process, other thread), and says it is ready.
// Run: not by itself; `pnpm --filter broker mtserver` starts these threads.
import { setTimeout as sleep } from "node:timers/promises";
import {
  closeOnAbort,
  describeFrame,
  isWorkerThreadEntry,
  messagesOf,
  type RoleControl,
  roleLog,
  stopOnParentMessage,
  threadData,
} from "@zmq-patterns/helpers";
import { Push, Reply } from "zeromq";

export interface MtWorkerKnobs {
  /** The server's DEALER: an inproc name, reachable from any thread of this process only. */
  endpoint: string;
  /** Where to say "I am connected": the server waits for every thread before it serves. */
  readyEndpoint: string;
  workMs: number;
  reply: string;
  name: string;
}

/** Serves until stopped (by the main thread's message); returns how many requests it answered. */
export async function runMtWorker(options: MtWorkerKnobs & RoleControl): Promise<number> {
  const log = roleLog(options.name);
  const socket = new Reply({ linger: 0 });
  // linger: the one "ready" message must reach the server although we close this socket at once.
  const ready = new Push({ linger: 1000 });
  closeOnAbort(options.signal, socket, ready);
  // Threads share zeromq's global context, so inproc works between them like tcp between hosts.
  socket.connect(options.endpoint);
  ready.connect(options.readyEndpoint);
  try {
    await ready.send(options.name);
  } catch (error) {
    if (!ready.closed) throw error; // stopped before we could say it
  }
  ready.close();

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
      await sleep(options.workMs, undefined, { signal: options.signal }); // only this thread waits
    } catch (error) {
      if (!options.signal?.aborted) throw error; // stopped while working: that ends the work too
    }
    if (socket.closed) break; // this reply is never sent
    await socket.send(options.reply);
  }

  log.info(`stopped after answering ${served} requests`);
  return served;
}

if (isWorkerThreadEntry(import.meta.url)) {
  const knobs = threadData<MtWorkerKnobs>();
  await runMtWorker({ ...knobs, signal: stopOnParentMessage(knobs.name) });
}
