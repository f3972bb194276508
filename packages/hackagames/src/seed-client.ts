// Step 1's client: a REQ socket that sends its name and prints the answer (once three are waiting).
// Talks to: seed-router.ts (ROUTER).
// Run: pnpm --filter hackagames seed-client [--connect tcp://localhost:1400] [--name alice]
import {
  attach,
  closeOnAbort,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Request } from "zeromq";
import { GAME_PORT } from "./protocol.ts";

export const seedClientDefaults = {
  connect: [`tcp://localhost:${GAME_PORT}`],
  bind: [] as string[],
  /** Sent as the request, and the label of the log lines. */
  name: "alice",
};
export type SeedClientOptions = typeof seedClientDefaults & RoleControl;

/** Returns the answer, or undefined when stopped before it came. */
export async function runSeedClient(options: SeedClientOptions): Promise<string | undefined> {
  const log = roleLog(options.name);
  const socket = new Request({ linger: 0 });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);

  log.info(`sending my name, "${options.name}"`);
  try {
    await socket.send(options.name);
    const [answer] = await socket.receive();
    log.info(`received "${answer}"`);
    return String(answer);
  } catch (error) {
    if (socket.closed) return undefined; // stopped while waiting for the others
    throw error;
  } finally {
    socket.close();
  }
}

if (isMain(import.meta.url)) {
  const options = parseFlags(seedClientDefaults);
  const answer = await runSeedClient({ ...options, signal: stopOnSignals(options.name) });
  if (answer === undefined) roleLog(options.name).info("stopped before the answer came");
}
