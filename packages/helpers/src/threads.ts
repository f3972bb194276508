// Worker threads that run a TypeScript file and stop by a message (for roles that talk over
// inproc://, which only reaches sockets in the same process).
//
//   main thread:  const step = startWorkerThread(new URL("./step1.ts", import.meta.url), knobs, signal);
//                 await step.exited; // the thread's function returned
//   step1.ts:     if (isWorkerThreadEntry(import.meta.url)) {
//                   await runStep1({ ...threadData<Step1Knobs>(), signal: stopOnParentMessage("step1") });
//                 }
//
// A thread that is ended from outside (worker.terminate(), process.exit) while one of its zeromq
// sockets has a receive or send pending aborts the whole process. So a thread is never ended
// from outside: the parent posts a stop message, the thread closes its own sockets, its function
// returns, and the thread ends by itself.
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { roleLog } from "./log.ts";

/** The message that asks a thread to close its sockets and return. */
export const STOP_THREAD = "stop";

export interface WorkerThread {
  /** Posts the stop message (harmless once the thread has ended). */
  stop(): void;
  /** Resolves when the thread has ended by itself; rejects with what it threw or its exit code. */
  exited: Promise<void>;
}

interface ThreadStart {
  entry: string;
  data: unknown;
}

const threadEntry = new URL("./thread-entry.mjs", import.meta.url);

/**
 * Runs the TypeScript file at `url` in a new worker thread, with `data` for `threadData()`.
 * Aborting `signal` posts the stop message.
 */
export function startWorkerThread(url: URL, data: unknown, signal?: AbortSignal): WorkerThread {
  const start: ThreadStart = { entry: url.href, data };
  const worker = new Worker(threadEntry, { workerData: start });
  const stop = () => worker.postMessage(STOP_THREAD);
  if (signal?.aborted) stop();
  signal?.addEventListener("abort", stop, { once: true });
  const exited = new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => {
      signal?.removeEventListener("abort", stop);
      if (code === 0) resolve();
      else reject(new Error(`worker thread ${url.pathname} exited with code ${code}`));
    });
  });
  return { stop, exited };
}

/** True inside the worker thread that startWorkerThread started for this module. */
export function isWorkerThreadEntry(moduleUrl: string): boolean {
  return !isMainThread && (workerData as ThreadStart | undefined)?.entry === moduleUrl;
}

/** The `data` given to startWorkerThread. */
export function threadData<T>(): T {
  return (workerData as ThreadStart).data as T;
}

/**
 * An AbortSignal that fires when the parent posts the stop message (the thread's version of
 * stopOnSignals). It does not keep the thread alive: the thread's sockets do, until closed.
 */
export function stopOnParentMessage(label: string): AbortSignal {
  if (!parentPort) throw new Error(`${label}: stopOnParentMessage only works in a worker thread`);
  const port = parentPort;
  const controller = new AbortController();
  const onMessage = (message: unknown) => {
    if (message !== STOP_THREAD) return;
    roleLog(label).info("stop message received, closing sockets");
    port.off("message", onMessage);
    controller.abort(STOP_THREAD);
  };
  port.on("message", onMessage); // a stop posted before this line is delivered now
  port.unref();
  return controller.signal;
}
