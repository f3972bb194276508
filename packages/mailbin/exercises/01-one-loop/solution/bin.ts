// Exercise 01, reference solution: the mail bin's two sockets served by ONE loop, the way
// zmq.Poller does it.
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

/** What the "poller" hands back: which socket is ready and its message, or that it closed. */
type Ready = { from: "mail" | "stats"; frames: Buffer[] } | { from: "closed" };

/** One receive on `socket`, labelled; a socket closed while we wait counts as "closed". */
function nextFrom(from: "mail" | "stats", socket: Pull | Reply): Promise<Ready> {
  return socket.receive().then(
    (frames): Ready => ({ from, frames }),
    (error: unknown): Ready => {
      if (socket.closed) return { from: "closed" };
      throw error;
    },
  );
}

export async function serveBoth(
  mail: Pull,
  stats: Reply,
  bin: BinState,
  log: Logger,
): Promise<void> {
  // poller.register(mail, POLLIN) and poller.register(stats, POLLIN): one receive waiting on
  // each socket. Only one receive per socket may be pending (else EBUSY), so we keep them and
  // ask a socket again only after it has delivered.
  let nextPost = nextFrom("mail", mail);
  let nextRequest = nextFrom("stats", stats);
  for (;;) {
    // poller.poll(): whichever socket has a message first. The other receive stays pending and
    // wins a later race, so no message is lost.
    const ready = await Promise.race([nextPost, nextRequest]);
    switch (ready.from) {
      case "mail":
        await takePost(ready.frames, bin, log);
        nextPost = nextFrom("mail", mail);
        break;
      case "stats":
        await stats.send(answerCommand(ready.frames, bin, log));
        nextRequest = nextFrom("stats", stats);
        break;
      case "closed":
        // Both sockets close together; the other pending receive resolves "closed" as well, so
        // nothing is left to reject unhandled.
        await Promise.all([nextPost, nextRequest]);
        return;
    }
  }
}

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
    mail.close();
    stats.close();
    await store.close();
  }
  return bin.counts;
}
