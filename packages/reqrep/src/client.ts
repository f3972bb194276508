// Hello World client: a REQ socket that sends "Hello" N times and waits for each "World".
// Talks to: server.ts (REP), or the Guide's hwserver in any language.
// Run: pnpm --filter reqrep client [--connect tcp://localhost:5555 ...] [--requests 10]
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
import { HELLO_PORT, REQUEST } from "./protocol.ts";

export const clientDefaults = {
  /** Give --connect twice and the REQ socket alternates its requests between the servers. */
  connect: [`tcp://localhost:${HELLO_PORT}`],
  bind: [] as string[],
  requests: 10,
  request: REQUEST,
  name: "client",
};
export type ClientOptions = typeof clientDefaults & RoleControl;

/** Sends the requests one by one; returns the replies, in order. */
export async function runClient(options: ClientOptions): Promise<string[]> {
  const log = roleLog(options.name);
  const socket = new Request({ linger: 0 });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints); // tests learn the real port here

  const replies: string[] = [];
  for (let count = 1; count <= options.requests; count++) {
    log.info(`sending "${options.request}" (${count}/${options.requests})`);
    // REQ is a strict lockstep: send, receive, send, receive. There is no time-out here, so
    // with no server this waits for ever (Ctrl-C stops it); exercise 01 adds one.
    let reply: Buffer[];
    try {
      // Connected (--connect), the socket queues from connect() on: this resolves at once and the
      // request waits in the queue for a server. Bound (--bind), it waits for a server to connect.
      await socket.send(options.request);
      reply = await socket.receive();
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
