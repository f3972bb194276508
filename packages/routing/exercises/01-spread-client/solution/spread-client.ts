// Exercise 01, reference solution: a DEALER in front of several REP servers, `inFlight` requests out.
// Talks to: REP servers (`options.connect`). See ../TASK.md.
// Run: only through the exercise's test (`pnpm --filter routing exercise 01`).
import type { RoleControl } from "@zmq-patterns/helpers";
import { closeOnAbort, describeFrame, roleLog } from "@zmq-patterns/helpers";
import { Dealer } from "zeromq";
import { isDelimiter } from "#src/protocol.ts";

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
  const client = new Dealer({ linger: 0 });
  closeOnAbort(options.signal, client);
  for (const endpoint of options.connect) client.connect(endpoint);
  const waiting = [...options.requests];
  const replies: string[] = [];
  let out = 0;
  // The DEALER deals each send to the next server in turn; the REP needs the "" in front.
  const sendNext = async () => {
    const request = waiting.shift();
    if (request === undefined) return;
    out += 1;
    await client.send(["", request]);
  };
  try {
    while (out < options.inFlight && waiting.length > 0) await sendNext();
    while (out > 0) {
      const frames = await client.receive();
      const [delimiter, reply, ...extra] = frames;
      if (!isDelimiter(delimiter) || reply === undefined || extra.length > 0) {
        log.warn(`not ["", reply]: ${frames.map(describeFrame).join(", ")}; skipped`);
        continue;
      }
      out -= 1;
      replies.push(String(reply));
      log.info(`got "${reply}" (${out} still out)`);
      await sendNext(); // a reply in, the next request out: never more than inFlight
    }
  } catch (error) {
    if (!client.closed) throw error; // stopped
  }
  client.close();
  return replies;
}
