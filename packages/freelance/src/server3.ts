// Freelance server, model 3 (RFC 10): a ROUTER whose routing id is its own public endpoint, so a
// client's ROUTER can address it by the endpoint it connected to before it has said a word.
// It answers PING with PONG, and a request [control, body...] with [control, "OK"].
// Talks to: client3.ts (the flcliapi agent, ROUTER), or the Guide's flclient3/flcliapi in any language.
// Run: pnpm --filter freelance server3 --bind tcp://*:5555 [--endpoint tcp://localhost:5555] [--verbose]
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
import { Router } from "zeromq";
import {
  isUnreachable,
  MAX_FRAMES,
  OK,
  PING,
  PONG,
  publicEndpoint,
  ROUTER_OPTIONS,
  SERVER_PORTS,
} from "./protocol.ts";

export const server3Defaults = {
  bind: [`tcp://*:${SERVER_PORTS[0]}`],
  connect: [] as string[],
  /** The endpoint clients connect to: our routing id. Default: the bind with * as localhost. */
  endpoint: "",
  /** Print every request and ping (the Guide's -v). */
  verbose: false,
  name: "server",
};
export type Server3Options = typeof server3Defaults & RoleControl;

export interface Server3Counts {
  requests: number;
  pings: number;
  /** Messages refused: wrong frame counts, unknown commands, replies to clients that left. */
  refused: number;
}

/** What to answer `frames` (the message after the client's routing id), or why not. */
export function answer(frames: Buffer[]): { reply: (Buffer | string)[] } | { problem: string } {
  if (frames.length === 0) return { problem: "an empty message" };
  if (frames.length > MAX_FRAMES)
    return { problem: `${frames.length} frames (at most ${MAX_FRAMES})` };
  const [control, ...body] = frames as [Buffer, ...Buffer[]];
  if (body.length === 0) {
    // One frame: a command. RFC 10 has one, PING.
    if (control.toString() === PING) return { reply: [PONG] };
    return { problem: `unknown command ${describeFrame(control)}` };
  }
  if (control.length === 0) return { problem: "a request with an empty control frame" };
  return { reply: [control, OK] }; // the control frame echoed: the client matches it to its request
}

/** Serves pings and requests until stopped; returns what it did. */
export async function runServer3(options: Server3Options): Promise<Server3Counts> {
  const log = roleLog(options.name);
  const endpoint = options.endpoint || publicEndpoint(options.bind[0] ?? "");
  // The routing id is what a client's ROUTER must name to reach us: exactly its connect endpoint.
  const socket = new Router({ ...ROUTER_OPTIONS, routingId: endpoint });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);
  log.info(`service is ready at ${endpoints.join(", ")} as ${endpoint}`);

  const counts: Server3Counts = { requests: 0, pings: 0, refused: 0 };
  for await (const [client, ...message] of socket) {
    const from = `client ${describeFrame(client!)}`;
    const outcome = answer(message);
    if ("problem" in outcome) {
      log.warn(`${outcome.problem} from ${from}; ignored`);
      counts.refused += 1;
      continue;
    }
    const isPong = outcome.reply.length === 1;
    if (options.verbose)
      log.info(`${isPong ? "PING" : `request ${describeFrame(message[0]!)}`} from ${from}`);
    try {
      await socket.send([client!, ...outcome.reply]);
      if (isPong) counts.pings += 1;
      else counts.requests += 1;
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      log.warn(`${from} has gone; reply dropped`);
      counts.refused += 1;
    }
  }

  log.info(
    `stopped after ${counts.requests} requests, ${counts.pings} pings, ${counts.refused} refused`,
  );
  return counts;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(server3Defaults);
  await runServer3({ ...options, signal: stopOnSignals(options.name) });
}
