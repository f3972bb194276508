// Freelance server, model 2: a REP service that answers each request [sequence, body] with
// [sequence, "OK"], so the shotgun client (client2.ts) can tell the current reply from late ones.
// Talks to: client2.ts (DEALER, to every server at once), or the Guide's flclient2 in any language.
// Run: pnpm --filter freelance server2 --bind tcp://*:5555 [--verbose]
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
import { MAX_FRAME_BYTES, OK, SERVER_PORTS } from "./protocol.ts";

export const server2Defaults = {
  bind: [`tcp://*:${SERVER_PORTS[0]}`],
  connect: [] as string[],
  /** Print every request (the Guide's servers say nothing per request). */
  verbose: false,
  name: "server",
};
export type Server2Options = typeof server2Defaults & RoleControl;

/** Why a request cannot be answered, or undefined for a good one: exactly [sequence, body]. */
export function checkRequest(frames: Buffer[]): string | undefined {
  if (frames.length !== 2) return `expected 2 frames [sequence, body], got ${frames.length}`;
  if (frames[0]!.length === 0) return "empty sequence frame";
  return undefined;
}

/** Answers requests until stopped; returns how many it answered "OK". */
export async function runServer2(options: Server2Options): Promise<{ answered: number }> {
  const log = roleLog(options.name);
  const socket = new Reply({ linger: 0, maxMessageSize: MAX_FRAME_BYTES });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);
  log.info(`service is ready at ${endpoints.join(", ")}`);

  let answered = 0;
  const requests = messagesOf(socket, () =>
    log.warn("dropped a request without the empty delimiter frame (a DEALER that left it out?)"),
  );
  for await (const frames of requests) {
    const problem = checkRequest(frames);
    if (problem) {
      // The Guide's server asserts and dies here; one bad client must not take it down.
      log.warn(`bad request: ${problem}`);
      await socket.send(`error: ${problem}`); // a REP must answer before it reads on
      continue;
    }
    const [sequence] = frames as [Buffer, Buffer];
    if (options.verbose) log.info(`request ${describeFrame(sequence)}`);
    await socket.send([sequence, OK]);
    answered += 1;
  }

  log.info(`stopped after answering ${answered} requests`);
  return { answered };
}

if (isMain(import.meta.url)) {
  const options = parseFlags(server2Defaults);
  await runServer2({ ...options, signal: stopOnSignals(options.name) });
}
