// Freelance server, model 1: a plain REP echo service. Run several, each on its own endpoint;
// the client (client1.ts) tries them in turn, so any one of them alive is enough.
// Talks to: client1.ts (REQ), or the Guide's flclient1 in any language.
// Run: pnpm --filter freelance server1 --bind tcp://*:5555 [--verbose]
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
import { MAX_FRAME_BYTES, MAX_FRAMES, SERVER_PORTS } from "./protocol.ts";

export const server1Defaults = {
  bind: [`tcp://*:${SERVER_PORTS[0]}`],
  connect: [] as string[],
  /** Print every request (the Guide's servers say nothing per request). */
  verbose: false,
  name: "server",
};
export type Server1Options = typeof server1Defaults & RoleControl;

/** Echoes every request until stopped; returns how many it echoed. */
export async function runServer1(options: Server1Options): Promise<{ echoed: number }> {
  const log = roleLog(options.name);
  // maxMessageSize: libzmq drops the connection of a peer that sends a larger frame.
  const socket = new Reply({ linger: 0, maxMessageSize: MAX_FRAME_BYTES });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);
  log.info(`echo service is ready at ${endpoints.join(", ")}`);

  let echoed = 0;
  const requests = messagesOf(socket, () =>
    log.warn("dropped a request without the empty delimiter frame (a DEALER that left it out?)"),
  );
  for await (const frames of requests) {
    if (frames.length > MAX_FRAMES) {
      log.warn(`bad request: ${frames.length} frames (at most ${MAX_FRAMES})`);
      await socket.send(`error: at most ${MAX_FRAMES} frames`); // a REP must answer before it reads on
      continue;
    }
    if (options.verbose) log.info(`echoing ${frames.map(describeFrame).join(" ")}`);
    await socket.send(frames); // the whole request, every frame, unchanged
    echoed += 1;
  }

  log.info(`stopped after echoing ${echoed} requests`);
  return { echoed };
}

if (isMain(import.meta.url)) {
  const options = parseFlags(server1Defaults);
  await runServer1({ ...options, signal: stopOnSignals(options.name) });
}
