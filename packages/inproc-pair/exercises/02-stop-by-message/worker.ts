// Exercise 02: a worker thread that answers pings and stops when told to, by a message.
// The task is in TASK.md. Check your work: pnpm --filter inproc-pair exercise 02
import { isWorkerThreadEntry, threadData } from "@zmq-patterns/helpers";

/** What the main thread gives the worker thread. */
export interface WorkerKnobs {
  /** Where the main thread has bound its PAIR for this worker. */
  endpoint: string;
}

if (isWorkerThreadEntry(import.meta.url)) {
  const knobs = threadData<WorkerKnobs>();
  // TODO: connect a PAIR to knobs.endpoint, send "READY", then answer each message:
  // "PING <n>" -> "PONG <n>", "STOP" -> "BYE" and end, anything else -> "error: ...".
  throw new Error(`exercise 02 is not done yet (the worker for ${knobs.endpoint})`);
}
