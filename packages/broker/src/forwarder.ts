// Pub-sub forwarder: an XSUB that connects to publishers and an XPUB that subscribers connect to.
// Talks to: publisher.ts (PUB) upstream, subscriber.ts (SUB) downstream. The Guide's wuproxy.
// Run: pnpm --filter broker forwarder [--publishers tcp://localhost:5556] [--subscribers tcp://*:8100]
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  parseFlags,
  type RoleControl,
  reconnectWhenDropped,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { XPublisher, XSubscriber } from "zeromq";
import { FORWARDER_PORT, MAX_MESSAGE_BYTES, WEATHER_PORT } from "./protocol.ts";

export const forwarderDefaults = {
  /** Publishers to listen to (the XSUB connects, as wuproxy connects to the weather server). */
  publishers: [`tcp://localhost:${WEATHER_PORT}`],
  /** Where subscribers connect (the XPUB binds). */
  subscribers: [`tcp://*:${FORWARDER_PORT}`],
  name: "forwarder",
};
export type ForwarderOptions = typeof forwarderDefaults & RoleControl;

export interface ForwarderCounts {
  updates: number;
  subscriptions: number;
  dropped: number;
}

/** Why a message from a subscriber is not a subscription, or undefined when it is one. */
export function subscriptionProblem(frames: Buffer[]): string | undefined {
  const [frame] = frames;
  if (frames.length !== 1 || !frame) return `expected 1 frame, got ${frames.length}`;
  if (frame[0] !== 0 && frame[0] !== 1) {
    return `first byte is not 1 (subscribe) or 0 (unsubscribe): ${describeFrame(frame)}`;
  }
  return undefined;
}

/** Forwards until stopped; returns what went each way. */
export async function runForwarder(options: ForwarderOptions): Promise<ForwarderCounts> {
  const log = roleLog(options.name);
  const upstream = new XSubscriber({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES });
  // "allSubs": pass every subscription upstream, also a second subscriber's to a topic already
  // subscribed, so each one shows in our log (and in the publisher's, when it is an XPUB).
  const downstream = new XPublisher({
    linger: 0,
    verbosity: "allSubs",
    maxMessageSize: MAX_MESSAGE_BYTES,
  });
  closeOnAbort(options.signal, upstream, downstream);
  // libzmq drops a connection that brings a frame over MAX_MESSAGE_BYTES, and never connects it
  // again: one such update would cut us off from that publisher for good. So we do.
  reconnectWhenDropped(upstream, log);
  const [publishers] = await attach(upstream, { bind: [], connect: options.publishers }, log);
  const [subscribers] = await attach(downstream, { bind: options.subscribers, connect: [] }, log);
  options.onReady?.([publishers!, subscribers!]);
  log.info("forwarding updates down and subscriptions up");

  const counts: ForwarderCounts = { updates: 0, subscriptions: 0, dropped: 0 };

  // #region loops
  // Updates flow down: publisher -> XSUB -> XPUB -> each subscriber whose prefix matches.
  async function forwardUpdates(): Promise<void> {
    for await (const update of upstream) {
      if (downstream.closed) break; // stopped between the receive and here
      await downstream.send(update); // an XPUB never waits: slow subscribers lose updates
      counts.updates += 1;
    }
  }

  // Subscriptions flow up: a SUB's subscribe arrives at the XPUB as one frame, byte 1 then the
  // prefix (0 to unsubscribe). Sent into the XSUB, it goes on to every publisher, which then
  // starts sending the matching updates. A plain PUB/SUB pair could not be chained like this.
  async function forwardSubscriptions(): Promise<void> {
    for await (const message of downstream) {
      const problem = subscriptionProblem(message);
      if (problem) {
        counts.dropped += 1;
        log.warn(`not a subscription from a subscriber: ${problem}; dropped`);
        continue;
      }
      const [frame] = message as [Buffer];
      const action = frame[0] === 1 ? "subscribe" : "unsubscribe";
      log.info(`${action} ${describeFrame(frame.subarray(1))}: passing it upstream`);
      if (upstream.closed) break;
      await upstream.send(frame);
      counts.subscriptions += 1;
    }
  }

  try {
    await Promise.all([forwardUpdates(), forwardSubscriptions()]); // as in broker.ts
  } finally {
    upstream.close();
    downstream.close();
  }
  // #endregion

  log.info(
    `stopped after ${counts.updates} updates, ${counts.subscriptions} subscriptions, ${counts.dropped} dropped`,
  );
  return counts;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(forwarderDefaults);
  await runForwarder({ ...options, signal: stopOnSignals(options.name) });
}
