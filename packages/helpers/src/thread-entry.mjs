// Where every worker thread started by startWorkerThread (threads.ts) begins. Node cannot start
// a thread on a .ts file, and the tsx hook that runs the main thread (`--import tsx`) does not
// reach worker threads, so this registers tsx inside the thread, then loads the role's file.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
