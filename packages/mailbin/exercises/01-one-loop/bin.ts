// Exercise 01: the mail bin's two sockets served by ONE loop, the way zmq.Poller does it.
// The task is in TASK.md. Check your work: pnpm --filter mailbin exercise 01
import {
  attach,
  closeOnAbort,
  type Logger,
  openJsonLinesStore,
  type RoleControl,
  roleLog,
} from "@zmq-patterns/helpers";
import { Pull, Reply } from "zeromq";
import { answerCommand, type BinCounts, type BinState, takePost } from "#src/bin.ts";
import type { Post } from "#src/protocol.ts";

export interface PolledBinOptions extends RoleControl {
  bind: string[];
  statsBind: string[];
  store: string;
}

/**
 * One loop for both sockets: wait for whichever has a message first, handle it (a post with
 * `takePost`, a stats request with `answerCommand` and a send), and go round again. Returns
 * once the sockets are closed.
 */
export async function serveBoth(
  mail: Pull,
  stats: Reply,
  bin: BinState,
  log: Logger,
): Promise<void> {
  // TODO: write the loop (TASK.md says how), then delete the two lines below.
  void [mail, stats, bin, log, takePost, answerCommand];
  throw new Error("exercise 01 is not done yet: write the loop in serveBoth");
}

// The rest is done for you: the same set-up as src/bin.ts, then your loop.
export async function runPolledBin(options: PolledBinOptions): Promise<BinCounts> {
  const log = roleLog("polled-bin");
  const store = await openJsonLinesStore<Post>(options.store, log);
  const bin: BinState = {
    store,
    ids: new Set(store.records.map((post) => post.id)),
    counts: { received: 0, stored: 0, duplicates: 0, rejected: 0 },
  };
  const mail = new Pull({ linger: 0 });
  const stats = new Reply({ linger: 0 });
  closeOnAbort(options.signal, mail, stats);
  try {
    const mailEndpoints = await attach(mail, { bind: options.bind, connect: [] }, log);
    const statsEndpoints = await attach(stats, { bind: options.statsBind, connect: [] }, log);
    options.onReady?.([...mailEndpoints, ...statsEndpoints]);
    await serveBoth(mail, stats, bin, log);
  } finally {
    mail.close(); // closing a closed socket does nothing
    stats.close();
    await store.close();
  }
  return bin.counts;
}
