// Exercise 02, reference solution: a worker thread that answers pings and stops by a message.
import { describeFrame, isWorkerThreadEntry, roleLog, threadData } from "@zmq-patterns/helpers";
import { Pair } from "zeromq";

/** What the main thread gives the worker thread. */
export interface WorkerKnobs {
  /** Where the main thread has bound its PAIR for this worker. */
  endpoint: string;
}

export async function runWorker(knobs: WorkerKnobs): Promise<void> {
  const log = roleLog("worker");
  const socket = new Pair({ linger: 0 });
  socket.connect(knobs.endpoint);
  await socket.send("READY");

  for await (const frames of socket) {
    const command = frames.length === 1 ? String(frames[0]) : undefined;
    const ping = command?.match(/^PING (\d+)$/);
    if (ping) {
      await socket.send(`PONG ${ping[1]}`);
    } else if (command === "STOP") {
      await socket.send("BYE");
      break; // nothing is pending now: closing the socket lets the thread end by itself
    } else {
      const what = frames.map(describeFrame).join(" ");
      log.warn(`unknown command ${what}`);
      await socket.send(`error: unknown command ${what}`);
    }
  }
  socket.close();
}

if (isWorkerThreadEntry(import.meta.url)) {
  await runWorker(threadData<WorkerKnobs>());
}
