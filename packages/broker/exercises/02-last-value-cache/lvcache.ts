// Exercise 02: a forwarder that gives each new subscriber the last update of its topic at once.
// The task is in TASK.md. Check your work: pnpm --filter broker exercise 02
import { attach, closeOnAbort, type RoleControl, roleLog } from "@zmq-patterns/helpers";
import { XPublisher, XSubscriber } from "zeromq";

export interface CacheOptions extends RoleControl {
  /** Publishers to listen to (the XSUB connects). */
  publishers: string[];
  /** Where subscribers connect (the XPUB binds). */
  subscribers: string[];
}

/** Forwards until stopped; returns how many topics it has cached. */
export async function runLastValueCache(options: CacheOptions): Promise<number> {
  const log = roleLog("lvcache");
  const upstream = new XSubscriber({ linger: 0 });
  // "allSubs": every subscription reaches our code, also a second one to the same topic.
  const downstream = new XPublisher({ linger: 0, verbosity: "allSubs" });
  closeOnAbort(options.signal, upstream, downstream);
  const [publishers] = await attach(upstream, { bind: [], connect: options.publishers }, log);
  const [subscribers] = await attach(downstream, { bind: options.subscribers, connect: [] }, log);
  options.onReady?.([publishers!, subscribers!]);

  async function forwardUpdates(): Promise<void> {
    for await (const update of upstream) {
      // TODO: remember the last update of each topic
      if (downstream.closed) break; // stopped meanwhile
      await downstream.send(update);
    }
  }

  async function forwardSubscriptions(): Promise<void> {
    for await (const [event] of downstream) {
      // TODO: on a subscription to a cached topic, send the cached update down first
      if (upstream.closed) break;
      await upstream.send(event!);
    }
  }

  try {
    await Promise.all([forwardUpdates(), forwardSubscriptions()]);
  } finally {
    upstream.close();
    downstream.close();
  }
  return 0; // TODO: how many topics are cached
}
