// Exercise 01: a client for several REP servers that keeps `inFlight` requests out at once.
// Talks to: REP servers (`options.connect`). Starter: a REQ, so one request at a time. See TASK.md.
// Run: only through the exercise's test (`pnpm --filter routing exercise 01`).
import type { RoleControl } from "@zmq-patterns/helpers";
import { roleLog } from "@zmq-patterns/helpers";
import { Request } from "zeromq";

export const spreadClientDefaults = {
  connect: [] as string[],
  requests: [] as string[],
  /** How many requests may be out at once. */
  inFlight: 2,
  name: "spread-client",
};
export type SpreadClientOptions = typeof spreadClientDefaults & RoleControl;

/** Sends every request; returns the replies in the order they came. */
export async function runSpreadClient(options: SpreadClientOptions): Promise<string[]> {
  const log = roleLog(options.name);
  // TODO: a DEALER instead, with the envelope written and read by hand, `inFlight` requests out.
  const client = new Request({ linger: 0 });
  for (const endpoint of options.connect) client.connect(endpoint);
  const replies: string[] = [];
  for (const request of options.requests) {
    await client.send(request);
    const [reply] = await client.receive();
    replies.push(String(reply));
    log.info(`got "${reply}"`);
  }
  client.close();
  return replies;
}
