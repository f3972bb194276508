// Step 1, the seed: a ROUTER that holds three REQ clients' requests, then answers each by name.
// Talks to: seed-client.ts (REQ), or any REQ socket sending one text frame.
// Run: pnpm --filter hackagames seed-router [--bind tcp://*:1400] [--clients 3]
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
import { GAME_PORT, MAX_MESSAGE_BYTES } from "./protocol.ts";

export const seedRouterDefaults = {
  bind: [`tcp://*:${GAME_PORT}`],
  connect: [] as string[],
  /** How many clients to wait for before answering them all. */
  clients: 3,
  name: "seed-router",
};
export type SeedRouterOptions = typeof seedRouterDefaults & RoleControl;

const MAX_NAME_BYTES = 64;

/** Why [delimiter, body...] is not a REQ client's name, or undefined. */
export function checkName(frames: Buffer[]): string | undefined {
  const [body] = frames;
  if (frames.length !== 1 || !body) return `expected 1 frame, got ${frames.length}`;
  if (body.length === 0 || body.length > MAX_NAME_BYTES) {
    return `a name is 1 to ${MAX_NAME_BYTES} bytes, got ${body.length}`;
  }
  if (!/^[\p{L}\p{N} _-]+$/u.test(body.toString("utf8")))
    return `not a name: ${describeFrame(body)}`;
  return undefined;
}

/**
 * Answers clients in rounds of `clients`; returns how many rounds it answered. The ROUTER is
 * what makes this possible: it tells us who sent each message (a routing id), and lets us
 * answer later, in any order.
 */
export async function runSeedRouter(options: SeedRouterOptions): Promise<number> {
  const log = roleLog(options.name);
  const router = new Router({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  closeOnAbort(options.signal, router);
  const endpoints = await attach(router, options, log);
  options.onReady?.(endpoints);

  const waiting: { id: Buffer; name: string }[] = [];
  let rounds = 0;
  // A ROUTER hands us [routing id, "", body] from a REQ client: the id says who it is.
  for await (const [id, delimiter, ...body] of router) {
    if (!id || delimiter?.length !== 0) {
      log.warn("dropped a message with no empty delimiter (not a REQ client)");
      continue;
    }
    const problem = checkName(body);
    if (problem) {
      log.warn(`bad request from ${describeFrame(id)}: ${problem}`);
      await router.send([id, "", `error: ${problem}`]);
      continue;
    }
    const name = body[0]!.toString("utf8");
    waiting.push({ id, name });
    log.info(
      `${name} is waiting, routing id ${describeFrame(id)} (${waiting.length}/${options.clients})`,
    );
    if (waiting.length < options.clients) continue; // its REQ socket waits: we answer later

    // Everyone is here: answer each client by name, through its routing id.
    for (const [index, client] of waiting.entries()) {
      await router.send([
        client.id,
        "",
        `hello ${client.name}, you are ${index + 1} of ${waiting.length}`,
      ]);
    }
    log.info(`answered ${waiting.map((client) => client.name).join(", ")}`);
    waiting.length = 0;
    rounds += 1;
  }

  log.info(`stopped after ${rounds} round(s)`);
  return rounds;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(seedRouterDefaults);
  await runSeedRouter({ ...options, signal: stopOnSignals(options.name) });
}
