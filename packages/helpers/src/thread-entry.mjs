// Where every worker thread started by startWorkerThread (threads.ts) begins. Node cannot start
// a thread on a .ts file, and the tsx hook that runs the main thread (`--import tsx`) does not
// reach worker threads, so this registers tsx inside the thread, then loads the role's file.
import { writeSync } from "node:fs";
import { format } from "node:util";
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

// Node passes a thread's console output through the main thread, so a thread's line can show
// up after lines the main thread printed later. Write straight to the process's stdout and
// stderr instead, so that log lines appear in the order things happened.
const writeLine =
  (fd, fallback) =>
  (...args) => {
    try {
      writeSync(fd, `${format(...args)}\n`);
    } catch (error) {
      if (error.code !== "EAGAIN") throw error;
      fallback(...args); // the pipe is full for now: let Node queue the line
    }
  };
console.log = writeLine(1, console.log);
console.info = writeLine(1, console.info);
console.error = writeLine(2, console.error);
console.warn = writeLine(2, console.warn);

register();
await import(workerData.entry);
