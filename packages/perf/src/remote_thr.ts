// remote_thr: libzmq's throughput test, sending side (PUSH connects, sends flat out, prints none).
// Talks to: local_thr.ts, or libzmq's own local_thr (C++), over tcp:// or ipc://.
// Run: pnpm --filter perf remote_thr tcp://localhost:5555 100 100000
import { closeAndDrain, isMain, type RoleControl, stopOnSignals } from "@zmq-patterns/helpers";
import { Push } from "zeromq";
import { readToolArgs, toolLog, usageExitCode } from "./args.ts";
import { watchPeerLeaving } from "./drain.ts";
import { FLUSH_LINGER_MS, PERF_PORT } from "./protocol.ts";

export const remoteThrDefaults = {
  connect: `tcp://localhost:${PERF_PORT}`,
  messageSize: 100,
  messageCount: 100_000,
  name: "remote_thr",
};
export type RemoteThrOptions = typeof remoteThrDefaults & RoleControl;

/** Sends the messages; returns how many were queued (fewer when stopped). */
export async function runRemoteThr(options: RemoteThrOptions): Promise<number> {
  const log = toolLog(options.name);
  // Linger, not 0: close() must still deliver the queued tail of the burst to local_thr.
  const socket = new Push({ linger: FLUSH_LINGER_MS });
  options.signal?.addEventListener("abort", () => {
    if (socket.closed) return;
    socket.linger = 0; // stopped by hand: drop what is queued and exit now
    socket.close();
  });
  const peerLeft = watchPeerLeaving(socket, FLUSH_LINGER_MS);
  socket.connect(options.connect);
  log.note(`connecting to ${options.connect}`); // on stderr; ZeroMQ retries until a peer is there
  options.onReady?.([options.connect]);

  // One Buffer, sent every time: zeromq.js reads it and never changes it, so reusing it is safe
  // and the loop allocates nothing of its own.
  const message = Buffer.alloc(options.messageSize);
  let sent = 0;
  try {
    // #region hot-loop
    for (; sent !== options.messageCount; sent++) await socket.send(message);
    // #endregion
  } catch (error) {
    if (socket.closed) return sent;
    throw error;
  }
  // local_thr closes once it has every message: wait for that, then close (see drain.ts).
  await peerLeft();
  await closeAndDrain(socket);
  return sent;
}

if (isMain(import.meta.url)) {
  const args = readToolArgs("remote_thr", process.argv.slice(2));
  if (!args) process.exit(usageExitCode(process.argv));
  await runRemoteThr({
    ...remoteThrDefaults,
    connect: args.endpoint,
    messageSize: args.messageSize,
    messageCount: args.count,
    signal: stopOnSignals(remoteThrDefaults.name),
  });
}
