// local_lat: libzmq's latency test, echoing side (REP binds, echoes each request, prints nothing).
// Talks to: remote_lat.ts, or libzmq's own remote_lat (C++), over tcp:// or ipc://.
// Run: pnpm --filter perf local_lat tcp://*:5555 1 10000   (then remote_lat in a 2nd terminal)
import { closeAndDrain, isMain, type RoleControl, stopOnSignals } from "@zmq-patterns/helpers";
import { Reply } from "zeromq";
import { readToolArgs, toolLog, usageExitCode } from "./args.ts";
import { FLUSH_LINGER_MS, PERF_PORT, WRONG_SIZE } from "./protocol.ts";

export const localLatDefaults = {
  bind: `tcp://*:${PERF_PORT}`,
  messageSize: 1,
  roundtripCount: 10_000,
  name: "local_lat",
};
export type LocalLatOptions = typeof localLatDefaults & RoleControl;

/** Echoes the round trips; returns how many good ones it answered. */
export async function runLocalLat(options: LocalLatOptions): Promise<number> {
  const log = toolLog(options.name);
  // Linger, not 0: the last reply must still leave after close() (libzmq's sleeps 1 s instead).
  const socket = new Reply({ linger: FLUSH_LINGER_MS });
  options.signal?.addEventListener("abort", () => {
    if (socket.closed) return;
    socket.linger = 0;
    socket.close();
  });
  await socket.bind(options.bind);
  const endpoint = socket.lastEndpoint ?? options.bind;
  log.note(`bound to ${endpoint}`); // on stderr: the other side may start now
  options.onReady?.([endpoint]);

  let answered = 0;
  try {
    // #region hot-loop
    while (answered < options.roundtripCount) {
      const frames = await socket.receive();
      // REP must answer even a bad request, or it can never read the next one: echo it, but
      // do not count it.
      if (frames.length !== 1 || frames[0]!.length !== options.messageSize) {
        log.warn(`${WRONG_SIZE}: ${frames.length} frame(s), ${frames[0]?.length} B; not counted`);
      } else {
        answered += 1;
      }
      await socket.send(frames);
    }
    // #endregion
  } catch (error) {
    if (socket.closed) return answered;
    throw error;
  }
  await closeAndDrain(socket); // the last reply still leaves
  return answered;
}

if (isMain(import.meta.url)) {
  const args = readToolArgs("local_lat", process.argv.slice(2));
  if (!args) process.exit(usageExitCode(process.argv));
  await runLocalLat({
    ...localLatDefaults,
    bind: args.endpoint,
    messageSize: args.messageSize,
    roundtripCount: args.count,
    signal: stopOnSignals(localLatDefaults.name),
  });
}
