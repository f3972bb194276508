// Exercise 02: a server at the end of a chain of hops that holds `hold` requests, then answers last first.
// Talks to: a hop's DEALER backend (`options.connect`). Starter: a REP, one request at a time. See TASK.md.
// Run: only through the exercise's test (`pnpm --filter routing exercise 02`).
import type { RoleControl } from "@zmq-patterns/helpers";
import { closeOnAbort, messagesOf, roleLog } from "@zmq-patterns/helpers";
import { Reply } from "zeromq";

export const keeperDefaults = {
  connect: [] as string[],
  /** How many requests to hold before answering them, last first. */
  hold: 3,
  name: "keeper",
};
export type KeeperOptions = typeof keeperDefaults & RoleControl;

export interface KeeperResult {
  received: string[];
  answered: string[];
}

export async function runKeeper(options: KeeperOptions): Promise<KeeperResult> {
  const log = roleLog(options.name);
  // TODO: a DEALER that keeps each envelope itself, holds `hold` requests and answers last first.
  const server = new Reply({ linger: 0 });
  closeOnAbort(options.signal, server);
  for (const endpoint of options.connect) server.connect(endpoint);
  const result: KeeperResult = { received: [], answered: [] };
  for await (const [body] of messagesOf(server, () => log.warn("dropped a request"))) {
    result.received.push(String(body));
    if (server.closed) break;
    await server.send(`${body} done`);
    result.answered.push(String(body));
  }
  return result;
}
