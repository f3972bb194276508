// DEALER to DEALER: a worker that sends any number of replies to one request, and a client that
// takes them as they come while it sends more. No envelope: each DEALER talks to one peer only.
// Talks to: its own worker, in this process over tcp. The Guide's "The DEALER to DEALER Combination".
// Run: pnpm --filter routing dealer-dealer [--counts 3,0,2]
import {
  closeOnAbort,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Dealer } from "zeromq";
import { MAX_FRAME_BYTES } from "./protocol.ts";

export const dealerDealerDefaults = {
  /** One request per number: "count to N". The worker answers each with N replies, then "done". */
  counts: ["3", "0", "2"],
  name: "dealer-dealer",
};
export type DealerDealerOptions = typeof dealerDealerDefaults & RoleControl;

/** Sends the requests, returns every message the client got back, in arrival order. */
export async function runDealerDealer(options: DealerDealerOptions): Promise<string[]> {
  const log = roleLog(options.name);
  const worker = new Dealer({ linger: 0, maxMessageSize: MAX_FRAME_BYTES });
  const client = new Dealer({ linger: 0 });
  closeOnAbort(options.signal, worker, client);
  await worker.bind("tcp://127.0.0.1:*");
  options.onReady?.([worker.lastEndpoint!]);

  // #region worker
  // The worker: for "count to N" it sends N replies and then "done": as many as it likes.
  const working = (async () => {
    for await (const [request, ...extra] of worker) {
      const count = Number(String(request).replace("count to ", ""));
      if (extra.length > 0 || !Number.isInteger(count) || count < 0 || count > 100) {
        log.warn(`worker: not "count to N" (0..100): ${String(request)}; answering "error"`);
        await worker.send(["error", String(request)]);
        continue;
      }
      for (let n = 1; n <= count; n++) await worker.send([`${n} of ${count}`, String(request)]);
      await worker.send(["done", String(request)]);
    }
  })();
  // #endregion

  const received: string[] = [];
  try {
    // #region client
    client.connect(worker.lastEndpoint!);
    for (const count of options.counts) await client.send(`count to ${count}`); // none waits
    let done = 0;
    for await (const [reply, request] of client) {
      received.push(`${reply} (${request})`);
      log.info(`client got "${reply}" for "${request}"`);
      if (String(reply) === "done" || String(reply) === "error") done += 1;
      if (done === options.counts.length) break;
    }
    // #endregion
  } catch (error) {
    if (!client.closed) throw error; // stopped (Ctrl-C)
  }
  worker.close();
  client.close();
  await working.catch((error: unknown) => {
    if (!worker.closed) throw error;
  });
  return received;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(dealerDealerDefaults);
  await runDealerDealer({ ...options, signal: stopOnSignals(options.name) });
}
