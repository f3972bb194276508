// Hello World server: a REP socket that answers "World" to each request, one at a time.
// Talks to: client.ts (REQ), or any plain ZeroMQ REQ client, such as the Guide's hwclient.
// Run: pnpm --filter reqrep hello-server [--bind tcp://*:5555 | --connect tcp://host:5555] [--work-ms 1000]
import { setTimeout as sleep } from "node:timers/promises";
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  messagesOf,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Reply } from "zeromq";
import { HELLO_PORT, MAX_MESSAGE_BYTES, MAX_REQUEST_BYTES, REPLY } from "./protocol.ts";

export const serverDefaults = {
  bind: [`tcp://*:${HELLO_PORT}`],
  connect: [] as string[],
  /** Pretend to work this long on each request, as the Guide's server sleeps for 1 s. */
  workMs: 1000,
  reply: REPLY,
  /** Label for log lines (two servers in one terminal: server-a, server-b). */
  name: "server",
};
export type ServerOptions = typeof serverDefaults & RoleControl;

/** Why a request cannot be served, or undefined when it is a good one. */
export function checkRequest(frames: Buffer[]): string | undefined {
  const [body] = frames;
  if (frames.length !== 1 || !body) return `expected 1 frame, got ${frames.length}`;
  if (body.length === 0) return "empty request";
  if (body.length > MAX_REQUEST_BYTES) {
    return `request is ${body.length} bytes; the limit is ${MAX_REQUEST_BYTES}`;
  }
  if (body.toString("utf8").includes("\uFFFD"))
    return `request is not UTF-8 text: ${describeFrame(body)}`;
  return undefined;
}

/** Serves until stopped; returns how many good requests it answered. */
export async function runServer(options: ServerOptions): Promise<number> {
  const log = roleLog(options.name);
  const socket = new Reply({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints); // tests learn the real port here

  // A REP socket hands us one request at a time and will not give us the next one until we
  // have sent exactly one reply: the envelope (who asked) is kept inside the socket.
  // messagesOf is `for await (... of socket)` that also survives a message libzmq drops
  // because it has no envelope (a DEALER peer that left out the empty delimiter frame).
  const requests = messagesOf(socket, () =>
    log.warn("dropped a request without the empty delimiter frame (a DEALER that left it out?)"),
  );
  let served = 0;
  for await (const frames of requests) {
    const problem = checkRequest(frames);
    if (problem) {
      // Bad input never kills the server. REP must still reply, so the reply carries the error.
      log.warn(`bad request: ${problem}`);
      await socket.send(`error: ${problem}`);
      continue;
    }

    served += 1;
    log.info(`received ${describeFrame(frames[0]!)} (${served})`);
    await sleep(options.workMs); // "do some work"
    if (socket.closed) break; // stopped while working: this reply is never sent

    await socket.send(options.reply);
  }

  log.info(`stopped after answering ${served} requests`);
  return served;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(serverDefaults);
  await runServer({ ...options, signal: stopOnSignals(options.name) });
}
