// Request-reply worker: a REP socket that connects to the broker's backend and answers each request.
// Talks to: broker.ts or proxy.ts (DEALER backend); never to a client directly. The Guide's rrworker.
// Run: pnpm --filter broker worker [--connect tcp://localhost:5560] [--work-ms 1000] [--echo]
import { setTimeout as sleep } from "node:timers/promises";
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  messagesOf,
  parseFlags,
  type RoleControl,
  reconnectWhenDropped,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Reply } from "zeromq";
import { BACKEND_PORT, MAX_MESSAGE_BYTES, REPLY } from "./protocol.ts";

export const workerDefaults = {
  /** The broker's backend: a worker connects, so workers can come and go. */
  connect: [`tcp://localhost:${BACKEND_PORT}`],
  bind: [] as string[],
  /** Pretend to work this long on each request, as the Guide's rrworker sleeps for 1 s. */
  workMs: 1000,
  reply: REPLY,
  /** Answer each request with the request itself (shows whose reply is whose; benchmarks use it). */
  echo: false,
  /** No line per request (for benchmarks). */
  quiet: false,
  name: "worker",
};
export type WorkerOptions = typeof workerDefaults & RoleControl;

/** Serves until stopped; returns how many requests it answered. */
export async function runWorker(options: WorkerOptions): Promise<number> {
  const log = roleLog(options.name);
  const socket = new Reply({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  // "connecting to" only means ZeroMQ will try; this line means the broker is really there.
  socket.events.on("handshake", ({ address }) => log.info(`connected to ${address}`));
  closeOnAbort(options.signal, socket);
  // libzmq drops a connection that brings a frame over MAX_MESSAGE_BYTES, and never connects it
  // again: one such request would leave the worker deaf to its broker for good. So we do.
  reconnectWhenDropped(socket, log);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);

  let served = 0;
  // The REP socket strips the envelope (client id, delimiter) the broker passed along and
  // puts it back on the reply: this code never learns who asked. A request with no envelope is
  // dropped by the REP socket itself; messagesOf keeps the loop going when that happens.
  const dropped = () => log.warn("the REP socket dropped a request without an empty delimiter");
  for await (const request of messagesOf(socket, dropped)) {
    if (!options.echo && request.length !== 1) {
      log.warn(`bad request: expected 1 frame, got ${request.length}`);
      if (socket.closed) break;
      await socket.send(`error: expected 1 frame, got ${request.length}`);
      continue;
    }
    served += 1;
    if (!options.quiet) log.info(`received ${request.map(describeFrame).join(" ")} (${served})`);
    if (options.workMs > 0) await sleep(options.workMs); // "do some work"
    if (socket.closed) break; // stopped while working: this reply is never sent

    await socket.send(options.echo ? request : options.reply);
  }

  log.info(`stopped after answering ${served} requests`);
  return served;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(workerDefaults);
  await runWorker({ ...options, signal: stopOnSignals(options.name) });
}
