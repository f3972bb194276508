// Worker threads that run a TypeScript file and stop by a message (for roles that talk over
// inproc://, which only reaches sockets in the same process).
//
//   main thread:  const step = startWorkerThread(new URL("./step1.ts", import.meta.url), knobs, signal);
//                 await step.exited; // the thread's function returned
//   step1.ts:     if (isWorkerThreadEntry(import.meta.url)) {
//                   await runStep1({ ...threadData<Step1Knobs>(), signal: stopOnParentMessage("step1") });
//                 }
//
// A thread that has something to hand back (its result, or "ready") calls postToParent(value) and
// the parent reads it from `firstMessage`.
//
// #region rules
// Two rules keep threads from taking the whole process down:
// - A thread that is ended from outside (worker.terminate(), process.exit) while one of its
//   zeromq sockets has a receive or send pending aborts the process. So a thread is never ended
//   from outside: the parent posts a stop message, the thread closes its own sockets, its
//   function returns, and the thread ends by itself.
// - zeromq.js sends a Buffer over 128 bytes without copying it: the message keeps pointing at
//   the sending thread's memory until the receiving thread's garbage collector frees it. A thread
//   that ends before then crashes the process (we saw "double free", exit 134). So a thread that
//   ends first must not send such Buffers to a thread that lives on: send from the thread that
//   lives longest, or send a string (copied into memory no thread owns).
// #endregion
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { roleLog } from "./log.ts";

/** The message that asks a thread to close its sockets and return. */
export const STOP_THREAD = "stop";

export interface WorkerThread<Message = unknown> {
  /** Posts the stop message (harmless once the thread has ended). */
  stop(): void;
  /** Resolves when the thread has ended by itself; rejects with what it threw or its exit code. */
  exited: Promise<void>;
  /**
   * Resolves with the first value the thread passes to postToParent; rejects when the thread
   * ends without one (or fails: `exited` says so too, so ignoring this promise is safe).
   */
  firstMessage: Promise<Message>;
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
export function startWorkerThread<Message = unknown>(
  url: URL,
  data: unknown,
  signal?: AbortSignal,
): WorkerThread<Message> {
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
  const firstMessage = new Promise<Message>((resolve, reject) => {
    worker.once("message", resolve); // delivered before "exit" when posted before returning
    exited.then(
      () => reject(new Error(`worker thread ${url.pathname} ended without a message`)),
      reject,
    );
  });
  firstMessage.catch(() => {}); // not every caller waits for one; a failure shows in `exited` too
  return { stop, exited, firstMessage };
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

/** Passes `message` to the parent thread, where `firstMessage` resolves with the first one. */
export function postToParent(message: unknown): void {
  if (!parentPort) throw new Error("postToParent only works in a worker thread");
  parentPort.postMessage(message);
}
