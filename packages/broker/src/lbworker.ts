// Load-balancing worker: a REQ socket that says READY, then answers each request the broker hands it.
// Talks to: lbbroker.ts (ROUTER backend). The Guide's lbworker.
// Run: pnpm --filter broker lbworker [--connect tcp://localhost:5556] [--routing-id W1] [--work-ms 0]
import { setTimeout as sleep } from "node:timers/promises";
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Request } from "zeromq";
import { LB_BACKEND_PORT, LB_REPLY, MAX_MESSAGE_BYTES, READY } from "./protocol.ts";

export const lbworkerDefaults = {
  connect: [`tcp://localhost:${LB_BACKEND_PORT}`],
  bind: [] as string[],
  /** How the broker will know this worker; empty: the broker makes one up. Must be unique. */
  routingId: "",
  /** Pretend to work this long on each request (the Guide's lbworker answers at once). */
  workMs: 0,
  reply: LB_REPLY,
  /** Answer each request with the request itself. */
  echo: false,
  name: "lbworker",
};
export type LbWorkerOptions = typeof lbworkerDefaults & RoleControl;

/** Works until stopped; returns how many requests it answered. */
export async function runLbWorker(options: LbWorkerOptions): Promise<number> {
  const log = roleLog(options.name);
  const socket = new Request({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  if (options.routingId) socket.routingId = options.routingId; // before connecting, or it is ignored
  socket.events.on("handshake", ({ address }) => log.info(`connected to ${address}`));
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);

  let served = 0;
  try {
    // A REQ speaks first: READY tells the broker this worker is idle. Every reply says it again.
    await socket.send(READY);
    log.info("sent READY");
    // The broker sends [client, "", request] (after the REQ's own delimiter, which the socket
    // strips); the reply must carry the client's address back: [client, "", reply].
    for await (const [client, delimiter, request, ...extra] of socket) {
      if (!client || delimiter?.length !== 0 || !request || extra.length > 0) {
        log.warn('not [client, "", request] from the broker; dropped, READY again');
        await socket.send(READY); // a REQ must answer something, and it is idle again
        continue;
      }
      served += 1;
      log.info(
        `received ${describeFrame(request)} from client ${describeFrame(client)} (${served})`,
      );
      if (options.workMs > 0) await sleep(options.workMs); // "do some work"
      if (socket.closed) break;
      await socket.send([client, "", options.echo ? request : options.reply]);
    }
  } catch (error) {
    if (!socket.closed) throw error; // stopped while waiting for the broker
  }

  log.info(`stopped after answering ${served} requests`);
  return served;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(lbworkerDefaults);
  await runLbWorker({ ...options, signal: stopOnSignals(options.name) });
}
