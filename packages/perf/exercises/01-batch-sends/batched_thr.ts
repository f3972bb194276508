// Exercise 01: a batched throughput test, many records per frame.
// The task is in TASK.md. Check your work: pnpm --filter perf exercise 01
import { isMain, type RoleControl } from "@zmq-patterns/helpers";

export interface BatchedRemoteOptions {
  connect: string;
  messageSize: number;
  messageCount: number;
  /** Records per frame. */
  batch: number;
}

export interface BatchedLocalOptions extends RoleControl {
  bind: string;
  messageSize: number;
  messageCount: number;
}

/** Sends the records packed `batch` to a frame; returns how many frames it sent. */
export async function runBatchedRemoteThr(options: BatchedRemoteOptions): Promise<number> {
  // TODO: a Push socket, one reused Buffer of batch × messageSize bytes, a short last frame.
  throw new Error(`exercise 01 is not done yet (asked to send ${options.messageCount} records)`);
}

/** Counts records until messageCount have arrived; returns libzmq's four lines. */
export async function runBatchedLocalThr(options: BatchedLocalOptions): Promise<string[]> {
  // TODO: a Pull socket; count frame.length / messageSize records per frame.
  throw new Error(`exercise 01 is not done yet (asked to receive ${options.messageCount} records)`);
}

// Runs itself: batched_thr.ts local <bind-to> <size> <count> <batch> | remote <connect-to> ...
if (isMain(import.meta.url)) {
  const [side, endpoint = "", size, count, batch] = process.argv.slice(2);
  const numbers = { messageSize: Number(size), messageCount: Number(count) };
  if (side === "local") {
    const lines = await runBatchedLocalThr({ bind: endpoint, ...numbers });
    for (const line of lines) console.log(line);
  } else {
    await runBatchedRemoteThr({ connect: endpoint, ...numbers, batch: Number(batch) });
  }
}
