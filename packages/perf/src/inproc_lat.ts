// inproc_lat: libzmq's latency test in one process (main thread's REQ measures, a worker echoes).
// Talks to: inproc_lat_thread.ts (the worker thread) over inproc://lat_test. Prints libzmq's lines.
// Run: pnpm --filter perf inproc_lat 1 10000
import { isMain, type RoleControl, startWorkerThread, stopOnSignals } from "@zmq-patterns/helpers";
import { Request } from "zeromq";
import { readToolArgs, usageExitCode } from "./args.ts";
import type { CONNECTED, EchoData } from "./inproc_lat_thread.ts";
import { latencyLine, microsecondsSince, roundtripLine, sizeLine } from "./output.ts";
import { INPROC_LAT_ENDPOINT, WRONG_SIZE } from "./protocol.ts";

export const inprocLatDefaults = { messageSize: 1, roundtripCount: 10_000 };
export type InprocLatOptions = typeof inprocLatDefaults & RoleControl;

/** Runs the test; returns libzmq's output lines ([] when stopped before the end). */
export async function runInprocLat(options: InprocLatOptions): Promise<string[]> {
  const { messageSize, roundtripCount } = options;
  const socket = new Request({ linger: 0 });
  await socket.bind(INPROC_LAT_ENDPOINT);

  // As in libzmq, the echo runs in a worker thread and the main thread measures.
  const data: EchoData = { endpoint: INPROC_LAT_ENDPOINT, messageSize, roundtripCount };
  const echo = startWorkerThread<typeof CONNECTED>(
    new URL("./inproc_lat_thread.ts", import.meta.url),
    data,
  );
  const stop = () => {
    echo.stop();
    socket.close();
  };
  options.signal?.addEventListener("abort", stop, { once: true });
  options.onReady?.([INPROC_LAT_ENDPOINT]);

  const message = Buffer.alloc(messageSize);
  let completed = 0;
  // A C thread starts in microseconds; a Node thread loads for a few hundred milliseconds. Wait
  // until it is connected, or its start-up would count as latency.
  await echo.firstMessage;
  const start = process.hrtime.bigint();
  try {
    // #region hot-loop
    for (; completed !== roundtripCount; completed++) {
      await socket.send(message);
      const frames = await socket.receive();
      if (frames.length !== 1 || frames[0]!.length !== messageSize) throw new Error(WRONG_SIZE);
    }
    // #endregion
  } catch (error) {
    if (!socket.closed) throw error;
  }
  const elapsedUs = microsecondsSince(start);
  await echo.exited; // the echo thread returns after its last reply (or on "stop")
  options.signal?.removeEventListener("abort", stop);
  socket.close();
  if (completed !== roundtripCount) return [];
  return [
    sizeLine(messageSize),
    roundtripLine(roundtripCount),
    latencyLine(roundtripCount, elapsedUs),
  ];
}

if (isMain(import.meta.url)) {
  const args = readToolArgs("inproc_lat", process.argv.slice(2));
  if (!args) process.exit(usageExitCode(process.argv));
  const lines = await runInprocLat({
    messageSize: args.messageSize,
    roundtripCount: args.count,
    signal: stopOnSignals("inproc_lat"),
  });
  for (const line of lines) console.log(line);
}
