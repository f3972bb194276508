// Request-reply client: a REQ socket that sends N requests through a broker and waits for each reply.
// Talks to: broker.ts, proxy.ts, mtserver.ts or lbbroker.ts (ROUTER frontend); it never sees a worker.
// Run: pnpm --filter broker client [--connect tcp://localhost:5559] [--requests 10] [--request Hello]
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
import { FRONTEND_PORT, REQUEST } from "./protocol.ts";

export const clientDefaults = {
  /** The broker's frontend. The client knows the broker's address, never a worker's. */
  connect: [`tcp://localhost:${FRONTEND_PORT}`],
  bind: [] as string[],
  requests: 10,
  request: REQUEST,
  name: "client",
};
export type ClientOptions = typeof clientDefaults & RoleControl;

/** Sends the requests one by one; returns the replies (each a string), in order. */
export async function runClient(options: ClientOptions): Promise<string[]> {
  const log = roleLog(options.name);
  const socket = new Request({ linger: 0 });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);

  const replies: string[] = [];
  for (let count = 1; count <= options.requests; count++) {
    let reply: Buffer[];
    try {
      await socket.send(options.request);
      reply = await socket.receive(); // a plain REQ: no time-out, see reqrep's exercise 01
    } catch (error) {
      if (socket.closed) break; // stopped (Ctrl-C) while waiting
      throw error;
    }
    log.info(`received ${reply.map(describeFrame).join(" ")} (${count}/${options.requests})`);
    replies.push(reply.toString());
  }

  socket.close();
  return replies;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(clientDefaults);
  const signal = stopOnSignals(options.name);
  const replies = await runClient({ ...options, signal });
  const outcome = signal.aborted ? "stopped" : "done";
  roleLog(options.name).info(`${outcome}: ${replies.length} of ${options.requests} replies`);
}
