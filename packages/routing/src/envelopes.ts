// Envelopes, observed: REQ -> hop (ROUTER/DEALER) -> hop (ROUTER/DEALER) -> REP, every stop printing
// what it holds; then a DEALER shows what REP does with a message that has no empty delimiter.
// Talks to: itself; the client, both hops (hop.ts) and the server run in this process, over tcp.
// Run: pnpm --filter routing envelopes [--request Hello] [--reply World]
import {
  closeOnAbort,
  formatFrames,
  isMain,
  messagesOf,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer, Reply, Request } from "zeromq";
import { hopDefaults, runHop } from "./hop.ts";

export const envelopesDefaults = {
  request: "Hello",
  reply: "World",
  name: "envelopes",
};
export type EnvelopesOptions = typeof envelopesDefaults & RoleControl;

export interface EnvelopesResult {
  /** What the REQ client got back. */
  reply: string;
  /** What the REP server's application was given, in order. */
  served: string[];
  /** What the DEALER got back after sending one message without and one with the delimiter. */
  dealerReplies: string[][];
}

/** Runs the chain once each way, then the no-delimiter experiment; returns what each end saw. */
export async function runEnvelopes(options: EnvelopesOptions): Promise<EnvelopesResult> {
  const client = roleLog("client");
  const server = roleLog("server");
  const controller = new AbortController(); // stops both hops at the end (or on Ctrl-C)
  options.signal?.addEventListener("abort", () => controller.abort(), { once: true });
  const result: EnvelopesResult = { reply: "", served: [], dealerReplies: [] };

  // Requests passed on, per hop: the experiment waits for a hop to have passed one on.
  const forwarded: Record<string, number> = { "hop-1": 0, "hop-2": 0 };
  let onForward = () => {};
  const hop = (name: string, frontend: string, backend: string) => {
    let ready: (endpoints: string[]) => void = () => {};
    const endpoints = new Promise<string[]>((resolve) => {
      ready = resolve;
    });
    const done = runHop({
      ...hopDefaults,
      frontend: [frontend],
      backend: [backend],
      name,
      signal: controller.signal,
      onReady: ready,
      onForward: (from) => {
        if (from === "frontend") forwarded[name]! += 1;
        onForward();
      },
    });
    return { endpoints, done };
  };
  const passedOn = (name: string, count: number) =>
    new Promise<void>((resolve) => {
      const check = () => forwarded[name]! >= count && resolve();
      onForward = check;
      check();
    });

  // #region chain
  // REQ -> [ROUTER hop-1 DEALER] -> [ROUTER hop-2 DEALER] -> REP. Each hop binds its ROUTER;
  // hop-1's DEALER connects to hop-2's ROUTER; hop-2's DEALER binds, and the REP connects to it.
  const hop2 = hop("hop-2", "tcp://127.0.0.1:*", "tcp://127.0.0.1:*");
  const [hop2Front, hop2Back] = await hop2.endpoints;
  const hop1 = hop("hop-1", "tcp://127.0.0.1:*", `>${hop2Front}`);
  const [hop1Front] = await hop1.endpoints;
  const rep = new Reply({ linger: 0 });
  const req = new Request({ linger: 0 });
  const dealer = new Dealer({ linger: 0 });
  closeOnAbort(options.signal, rep, req, dealer);
  rep.connect(hop2Back!);
  req.connect(hop1Front!);
  options.onReady?.([hop1Front!, hop2Front!, hop2Back!]);

  // The REP hands its application the body only; it keeps the envelope (every frame up to and
  // including the empty one) and puts it back in front of the reply. (A message without the empty
  // frame it drops inside libzmq; messagesOf keeps the loop going if zeromq.js noticed.)
  const serving = (async () => {
    for await (const frames of messagesOf(rep, () => {})) {
      result.served.push(frames.map(String).join(","));
      server.info(
        `REP gives its application only the body (it keeps the envelope for the reply):\n${formatFrames(frames)}`,
      );
      if (rep.closed) break;
      await rep.send(options.reply);
    }
  })();
  // #endregion

  try {
    // #region walk
    client.info(`REQ sends "${options.request}"; on the wire it is ["", "${options.request}"]`);
    await req.send(options.request);
    const [reply] = await req.receive();
    result.reply = String(reply);
    client.info(`REQ took the empty delimiter off and gives back "${reply}"`);
    // #endregion

    // #region no-delimiter
    // The same chain, from a DEALER that does not write the delimiter: the REP finds no empty
    // frame in [hop-2's id for hop-1, hop-1's id for the DEALER, body] and drops the whole message.
    dealer.connect(hop1Front!);
    client.info(`DEALER sends ["no delimiter"]: nothing tells the REP where the envelope ends`);
    await dealer.send(["no delimiter"]);
    await passedOn("hop-2", 2); // it went all the way to the REP's connection
    client.info(`DEALER sends ["", "with delimiter"], as a REQ would`);
    await dealer.send(["", "with delimiter"]);
    const back = await dealer.receive();
    result.dealerReplies.push(back.map(String));
    client.info(
      `DEALER got one reply, to the second message; the REP never gave the first to its application:\n${formatFrames(back)}`,
    );
    // #endregion
  } catch (error) {
    if (!req.closed) throw error; // stopped (Ctrl-C)
  } finally {
    for (const socket of [req, dealer, rep]) socket.close();
    controller.abort();
  }
  await Promise.all([serving, hop1.done, hop2.done]);
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(envelopesDefaults);
  await runEnvelopes({ ...options, signal: stopOnSignals(options.name) });
}
