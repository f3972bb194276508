// remote_lat: libzmq's latency test, measuring side (REQ connects, times round trips, prints it).
// Talks to: local_lat.ts, or libzmq's own local_lat (C++), over tcp:// or ipc://.
// Run: pnpm --filter perf remote_lat tcp://localhost:5555 1 10000
import { closeOnAbort, isMain, type RoleControl, stopOnSignals } from "@zmq-patterns/helpers";
import { Request } from "zeromq";
import { readToolArgs, toolLog, usageExitCode } from "./args.ts";
import { latencyLine, microsecondsSince, roundtripLine, sizeLine } from "./output.ts";
import { PERF_PORT, WRONG_SIZE } from "./protocol.ts";

export const remoteLatDefaults = {
  connect: `tcp://localhost:${PERF_PORT}`,
  messageSize: 1,
  roundtripCount: 10_000,
  name: "remote_lat",
};
export type RemoteLatOptions = typeof remoteLatDefaults & RoleControl;

/** Runs the round trips; returns libzmq's output lines ([] when stopped before the end). */
export async function runRemoteLat(options: RemoteLatOptions): Promise<string[]> {
  const { messageSize, roundtripCount } = options;
  const log = toolLog(options.name);
  const socket = new Request({ linger: 0 });
  closeOnAbort(options.signal, socket);
  socket.connect(options.connect);
  log.note(`connecting to ${options.connect}`); // on stderr; ZeroMQ retries until a peer is there
  options.onReady?.([options.connect]);

  const message = Buffer.alloc(messageSize); // one Buffer for every request
  let completed = 0;
  // As in libzmq the clock includes the first round trip, so connecting is measured once:
  // use enough round trips that it does not matter.
  const start = process.hrtime.bigint();
  try {
    // #region hot-loop
    while (completed < roundtripCount) {
      await socket.send(message);
      const frames = await socket.receive();
      if (frames.length !== 1 || frames[0]!.length !== messageSize) {
        log.warn(`${WRONG_SIZE}: ${frames.length} frame(s), ${frames[0]?.length} B; not counted`);
        continue;
      }
      completed += 1;
    }
    // #endregion
  } catch (error) {
    if (socket.closed) return [];
    throw error;
  }
  const elapsedUs = microsecondsSince(start);
  socket.close();
  return [
    sizeLine(messageSize),
    roundtripLine(roundtripCount),
    latencyLine(roundtripCount, elapsedUs),
  ];
}

if (isMain(import.meta.url)) {
  const args = readToolArgs("remote_lat", process.argv.slice(2));
  if (!args) process.exit(usageExitCode(process.argv));
  const lines = await runRemoteLat({
    ...remoteLatDefaults,
    connect: args.endpoint,
    messageSize: args.messageSize,
    roundtripCount: args.count,
    signal: stopOnSignals(remoteLatDefaults.name),
  });
  for (const line of lines) console.log(line);
}
