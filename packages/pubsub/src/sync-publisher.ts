// Sync publisher: waits for N subscribers to check in (REQ/REP), then publishes "1", "2"... "END".
// Talks to: sync-subscriber.ts (SUB + REQ), or the Guide's syncsub in any language.
// Run: pnpm --filter pubsub sync-publisher [--subscribers 10 (0: no waiting)] [--updates 1000000]
import { setTimeout as sleep } from "node:timers/promises";
import {
  attach,
  closeAndDrain,
  closeOnAbort,
  describeFrame,
  isMain,
  messagesOf,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Reply, XPublisher } from "zeromq";
import {
  END,
  MAX_INBOUND_BYTES,
  SUBSCRIBE,
  SYNC_PUBLISH_PORT,
  SYNC_REPLY,
  SYNC_SERVICE_PORT,
  UNSUBSCRIBE,
} from "./protocol.ts";

export const syncPublisherDefaults = {
  bind: [`tcp://*:${SYNC_PUBLISH_PORT}`],
  connect: [] as string[],
  /** Where subscribers check in (REP). */
  syncBind: [`tcp://*:${SYNC_SERVICE_PORT}`],
  /** Wait for this many check-ins before publishing; 0 publishes at once (the slow joiner). */
  subscribers: 10,
  updates: 1_000_000,
  /** Pause between updates; the Guide's publisher sends flat out. */
  intervalMs: 0,
  /**
   * On close, keep sending the updates still queued for up to this long. With linger 0, what is
   * still queued when the publisher exits (the last updates, and "END") could be thrown away.
   */
  drainMs: 2000,
  name: "sync-publisher",
};
export type SyncPublisherOptions = typeof syncPublisherDefaults & RoleControl;

/** Why the numbers given are not counts, or undefined when they are. */
export function countsProblem(options: Pick<SyncPublisherOptions, "subscribers" | "updates">) {
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < 0)
      return `--${name} must be a whole number, 0 or more; got ${value}`;
  }
  return undefined;
}

/** Why a check-in is not one (a single empty frame), or undefined when it is. */
export function checkSyncRequest(frames: Buffer[]): string | undefined {
  const [body] = frames;
  if (frames.length !== 1 || !body) return `expected 1 frame, got ${frames.length}`;
  if (body.length !== 0) return `expected an empty frame, got ${describeFrame(body)}`;
  return undefined;
}

export interface SyncPublisherResult {
  /** Subscribers that checked in. */
  synchronised: number;
  /** Updates sent, not counting "END". */
  published: number;
}

/** Waits for the subscribers, publishes the updates and "END", returns what it did. */
export async function runSyncPublisher(
  options: SyncPublisherOptions,
): Promise<SyncPublisherResult> {
  const log = roleLog(options.name);
  const problem = countsProblem({ subscribers: options.subscribers, updates: options.updates });
  if (problem) throw new Error(problem);
  // An XPUB is a PUB that also hands us the subscriptions it receives (see below).
  const publisher = new XPublisher({
    linger: options.drainMs,
    // PUB drops updates for a subscriber whose queue is full (1000 by default). Make the queue
    // hold every update instead, as the Guide's syncpub does.
    sendHighWaterMark: options.updates + 1,
    verbosity: "allSubs", // every subscription, even a second one to the same topic
    maxMessageSize: MAX_INBOUND_BYTES,
  });
  const syncService = new Reply({ linger: 0, maxMessageSize: MAX_INBOUND_BYTES });
  closeOnAbort(options.signal, publisher, syncService);
  const endpoints = [
    ...(await attach(publisher, options, log)),
    ...(await attach(syncService, { bind: options.syncBind, connect: [] }, log)),
  ];
  options.onReady?.(endpoints); // tests learn the real ports here

  let synchronised = 0;
  if (options.subscribers === 0) {
    log.warn(
      "not waiting for subscribers: whoever has not subscribed yet misses the first updates",
    );
  } else {
    log.info(`waiting for ${options.subscribers} subscribers to check in`);
    // messagesOf: a `for await` over the socket that survives a check-in libzmq drops for
    // having no envelope (a DEALER that left out the empty delimiter frame).
    const checkIns = messagesOf(syncService, () =>
      log.warn("dropped a check-in without the empty delimiter frame (not a REQ?)"),
    );
    for await (const frames of checkIns) {
      const problem = checkSyncRequest(frames);
      if (problem) {
        // Not a subscriber: it does not count, and REP must still answer before the next one.
        log.warn(`bad check-in: ${problem}`);
        await syncService.send(`error: ${problem}`);
        continue;
      }
      synchronised += 1;
      await syncService.send(SYNC_REPLY);
      log.info(`subscriber ${synchronised} of ${options.subscribers} checked in`);
      if (synchronised === options.subscribers) break;
    }
  }

  // A subscriber's check-in (REQ) and its subscription (SUB) travel on two connections, so the
  // check-in can arrive first; publishing then would lose updates. The Guide's subscriber sleeps
  // a second before checking in. We wait instead until the XPUB has seen one subscription per
  // subscriber: a subscription is a message of one byte, 1 (0 for unsubscribe), then the topic.
  let subscriptions = 0;
  if (synchronised > 0) {
    for await (const frames of publisher) {
      const [message] = frames;
      if (frames.length === 1 && message?.[0] === SUBSCRIBE) {
        subscriptions += 1;
        log.info(`subscription to ${describeFrame(message.subarray(1))} (${subscriptions})`);
      } else if (frames.length === 1 && message?.[0] === UNSUBSCRIBE) {
        log.info(`unsubscribed from ${describeFrame(message.subarray(1))}`);
      } else {
        log.warn(`not a subscription, ignored: ${frames.map(describeFrame).join(" ")}`);
      }
      if (subscriptions >= synchronised) break;
    }
  }

  let published = 0;
  try {
    if (!publisher.closed) log.info(`publishing ${options.updates} updates, then "${END}"`);
    while (published < options.updates && !publisher.closed) {
      await publisher.send(String(published + 1));
      published += 1;
      if (options.intervalMs > 0) {
        await sleep(options.intervalMs, undefined, { signal: options.signal });
      }
    }
    if (!publisher.closed) {
      await publisher.send(END);
      log.info(`published ${published} updates and "${END}"`);
    }
  } catch (error) {
    if (!publisher.closed) throw error; // a send or a pause cut short by Ctrl-C is how we stop
  }

  if (publisher.closed) log.info(`stopped after publishing ${published} updates`);
  syncService.close();
  // The queued updates still go out, for up to drainMs; a Ctrl-C meanwhile drops them (exit 0).
  await closeAndDrain(publisher);
  return { synchronised, published };
}

if (isMain(import.meta.url)) {
  const options = parseFlags(syncPublisherDefaults);
  const problem = countsProblem({ subscribers: options.subscribers, updates: options.updates });
  if (problem) {
    roleLog(options.name).error(problem);
    process.exit(2);
  }
  await runSyncPublisher({ ...options, signal: stopOnSignals(options.name) });
}
