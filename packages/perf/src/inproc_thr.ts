// inproc_thr: libzmq's throughput test in one process (main thread's PUSH sends, a worker counts).
// Talks to: inproc_thr_thread.ts (the worker thread) over inproc://thr_test. Prints libzmq's lines.
// Run: pnpm --filter perf inproc_thr 100 100000
import { isMain, type RoleControl, startWorkerThread, stopOnSignals } from "@zmq-patterns/helpers";
import { Push } from "zeromq";
import { readToolArgs, usageExitCode } from "./args.ts";
import type { ReceiverData, ReceiverResult } from "./inproc_thr_thread.ts";
import { countLine, sizeLine, throughputLines } from "./output.ts";
import { FLUSH_LINGER_MS, INPROC_THR_ENDPOINT } from "./protocol.ts";

export const inprocThrDefaults = { messageSize: 100, messageCount: 100_000 };
export type InprocThrOptions = typeof inprocThrDefaults & RoleControl;

/** Runs the test; returns libzmq's output lines ([] when stopped before the end). */
export async function runInprocThr(options: InprocThrOptions): Promise<string[]> {
  const { messageSize, messageCount } = options;
  const socket = new Push({ linger: FLUSH_LINGER_MS });
  await socket.bind(INPROC_THR_ENDPOINT);

  // libzmq sends from a worker thread and measures in the main thread. In Node it is the other
  // way round: the main thread lives longest, so it sends (its Buffer outlives every message;
  // see the helpers' threads.ts) and the worker thread receives and measures.
  const data: ReceiverData = { endpoint: INPROC_THR_ENDPOINT, messageSize, messageCount };
  const receiver = startWorkerThread<ReceiverResult>(
    new URL("./inproc_thr_thread.ts", import.meta.url),
    data,
  );
  const stop = () => {
    receiver.stop(); // the thread closes its socket and returns
    socket.linger = 0;
    socket.close();
  };
  options.signal?.addEventListener("abort", stop, { once: true });
  options.onReady?.([INPROC_THR_ENDPOINT]);

  const message = Buffer.alloc(messageSize);
  try {
    // #region hot-loop
    for (let sent = 0; sent !== messageCount; sent++) await socket.send(message);
    // #endregion
  } catch (error) {
    if (!socket.closed) throw error;
  }
  const result = await receiver.firstMessage;
  await receiver.exited;
  options.signal?.removeEventListener("abort", stop);
  socket.close();
  if (!result.elapsedUs) return [];
  return [
    sizeLine(messageSize),
    countLine(messageCount),
    ...throughputLines(messageSize, messageCount, result.elapsedUs),
  ];
}

if (isMain(import.meta.url)) {
  const args = readToolArgs("inproc_thr", process.argv.slice(2));
  if (!args) process.exit(usageExitCode(process.argv));
  const lines = await runInprocThr({
    messageSize: args.messageSize,
    messageCount: args.count,
    signal: stopOnSignals("inproc_thr"),
  });
  for (const line of lines) console.log(line);
}
