// Exercise 02, reference solution: a forwarder with a last value cache.
import { attach, closeOnAbort, type RoleControl, roleLog } from "@zmq-patterns/helpers";
import { XPublisher, XSubscriber } from "zeromq";

export interface CacheOptions extends RoleControl {
  /** Publishers to listen to (the XSUB connects). */
  publishers: string[];
  /** Where subscribers connect (the XPUB binds). */
  subscribers: string[];
}

/** An update's topic: its text up to and including the first space ("10001 72 40" -> "10001 "). */
const topicOf = (update: string) => update.slice(0, update.indexOf(" ") + 1);

export async function runLastValueCache(options: CacheOptions): Promise<number> {
  const log = roleLog("lvcache");
  const upstream = new XSubscriber({ linger: 0 });
  const downstream = new XPublisher({ linger: 0, verbosity: "allSubs" });
  closeOnAbort(options.signal, upstream, downstream);
  const [publishers] = await attach(upstream, { bind: [], connect: options.publishers }, log);
  const [subscribers] = await attach(downstream, { bind: options.subscribers, connect: [] }, log);
  options.onReady?.([publishers!, subscribers!]);

  const cache = new Map<string, Buffer[]>();
  // Both loops send on the XPUB now. One send at a time per socket: chain them.
  let sending = Promise.resolve();
  const sendDown = (message: Buffer[]) => {
    sending = sending.then(() => (downstream.closed ? undefined : downstream.send(message)));
    return sending;
  };

  async function forwardUpdates(): Promise<void> {
    for await (const update of upstream) {
      const topic = topicOf(String(update[0]));
      if (topic) cache.set(topic, update);
      await sendDown(update);
    }
  }

  async function forwardSubscriptions(): Promise<void> {
    for await (const [event] of downstream) {
      if (event?.[0] === 1) {
        const topic = String(event.subarray(1));
        const last = cache.get(topic);
        if (last) {
          log.info(`sending the last update of ${JSON.stringify(topic)} to its new subscriber`);
          await sendDown(last);
        }
      }
      if (upstream.closed) break; // stopped meanwhile
      await upstream.send(event!);
    }
  }

  try {
    await Promise.all([forwardUpdates(), forwardSubscriptions()]);
  } finally {
    upstream.close();
    downstream.close();
  }
  return cache.size;
}
