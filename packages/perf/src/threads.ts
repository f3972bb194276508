// Worker threads that run TypeScript: each gets tsx's loader, as the launcher gives each role
// process. Only zeromq's global context is shared between threads, so inproc:// works across them.
//
// Two rules keep them from taking the process down:
// - stop a thread by a message, and let it close its sockets and return; never terminate() it
//   while it has a receive pending (that aborts the whole process);
// - zeromq.js sends a Buffer over 128 bytes without copying it, and the message keeps pointing
//   at the sending thread's memory until the receiving thread's garbage collector frees it. A
//   thread that ends before then crashes the process, so a thread that ends first must not send
//   such Buffers to a thread that lives on (see inproc_thr.ts and inproc_lat.ts).
import { Worker } from "node:worker_threads";

// In Node 20 `--import tsx` in a Worker's execArgv does not reach the thread's own entry file,
// so each thread starts with two lines of JavaScript that load the TypeScript file through tsx.
const tsxApi = import.meta.resolve("tsx/esm/api");
const bootstrap = (script: URL) =>
  `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) =>
     tsImport(${JSON.stringify(script.href)}, ${JSON.stringify(script.href)}));`;

export interface Thread<Message> {
  /** Resolves with the first message the thread posts back ("ready", or its result). */
  firstMessage: Promise<Message>;
  /** Posts a message to the thread (for example "stop"). */
  post(message: unknown): void;
  /** Resolves when the thread has returned; rejects if it failed. */
  exited: Promise<void>;
}

export function startThread<Message>(script: URL, workerData: unknown): Thread<Message> {
  const worker = new Worker(bootstrap(script), { eval: true, workerData });
  const exited = new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${script.pathname} exited with ${code}`)),
    );
  });
  const firstMessage = new Promise<Message>((resolve, reject) => {
    worker.once("message", resolve);
    exited.then(() => reject(new Error(`${script.pathname} ended without a message`)), reject);
  });
  firstMessage.catch(() => {}); // a failure is also reported through `exited`
  return { firstMessage, post: (message) => worker.postMessage(message), exited };
}
