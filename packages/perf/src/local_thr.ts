// local_thr: libzmq's throughput test, measuring side (PULL binds, counts, prints msg/s, Mb/s).
// Talks to: remote_thr.ts, or libzmq's own remote_thr (C++), over tcp:// or ipc://.
// Run: pnpm --filter perf local_thr tcp://*:5555 100 100000   (then remote_thr in a 2nd terminal)
import { closeOnAbort, isMain, type RoleControl, stopOnSignals } from "@zmq-patterns/helpers";
import { Pull } from "zeromq";
import { readToolArgs, toolLog, usageExitCode } from "./args.ts";
import { countLine, microsecondsSince, sizeLine, throughputLines } from "./output.ts";
import { PERF_PORT, WRONG_SIZE } from "./protocol.ts";

export const localThrDefaults = {
  bind: `tcp://*:${PERF_PORT}`,
  messageSize: 100,
  messageCount: 100_000,
  name: "local_thr",
};
export type LocalThrOptions = typeof localThrDefaults & RoleControl;

/** Receives the messages; returns libzmq's output lines ([] when stopped before the end). */
export async function runLocalThr(options: LocalThrOptions): Promise<string[]> {
  const { messageSize, messageCount } = options;
  const log = toolLog(options.name);
  const socket = new Pull({ linger: 0 });
  closeOnAbort(options.signal, socket);
  await socket.bind(options.bind);
  const endpoint = socket.lastEndpoint ?? options.bind;
  log.note(`bound to ${endpoint}`); // on stderr: the other side may start now
  options.onReady?.([endpoint]);

  let received = 0;
  let start = 0n;
  try {
    // #region hot-loop
    // The hot loop: no logging, no allocation, no string conversion of our own. The clock
    // starts at the first message, as in libzmq, so connecting is not measured.
    while (received < messageCount) {
      const frames = await socket.receive();
      if (frames.length !== 1 || frames[0]!.length !== messageSize) {
        log.warn(`${WRONG_SIZE}: ${frames.length} frame(s), ${frames[0]?.length} B; not counted`);
        continue;
      }
      if (received === 0) start = process.hrtime.bigint();
      received += 1;
    }
    // #endregion
  } catch (error) {
    if (socket.closed) return []; // stopped (Ctrl-C) before the sender was done
    throw error;
  }
  const elapsedUs = microsecondsSince(start);
  socket.close();
  return [
    sizeLine(messageSize),
    countLine(messageCount),
    ...throughputLines(messageSize, messageCount, elapsedUs),
  ];
}

if (isMain(import.meta.url)) {
  const args = readToolArgs("local_thr", process.argv.slice(2));
  if (!args) process.exit(usageExitCode(process.argv));
  const lines = await runLocalThr({
    ...localThrDefaults,
    bind: args.endpoint,
    messageSize: args.messageSize,
    messageCount: args.count,
    signal: stopOnSignals(localThrDefaults.name),
  });
  for (const line of lines) console.log(line);
}
