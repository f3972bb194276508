// Sync subscriber: subscribes, checks in (REQ/REP), counts updates to "END", says what it missed.
// Talks to: sync-publisher.ts (XPUB + REP), or the Guide's syncpub in any language.
// Run: pnpm --filter pubsub sync-subscriber [--connect tcp://localhost:5561] [--sync none]
import {
  attach,
  closeOnAbort,
  describeFrame,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Request, Subscriber } from "zeromq";
import { END, SYNC_PUBLISH_PORT, SYNC_REQUEST, SYNC_SERVICE_PORT } from "./protocol.ts";

/** `--sync none`: do not check in, start listening straight away. */
export const NO_SYNC = "none";

export const syncSubscriberDefaults = {
  connect: [`tcp://localhost:${SYNC_PUBLISH_PORT}`],
  bind: [] as string[],
  /** The publisher's check-in service (REP), or "none". */
  sync: `tcp://localhost:${SYNC_SERVICE_PORT}`,
  name: "sync-subscriber",
};
export type SyncSubscriberOptions = typeof syncSubscriberDefaults & RoleControl;

/** What a subscriber got: updates are numbered from 1, so first and last show what it missed. */
export interface SyncTally {
  received: number;
  /** Number of the first and the last update received (when the updates are numbered). */
  first?: number;
  last?: number;
  /** True when "END" arrived. */
  ended: boolean;
}

/** One line that says what was received and what was missed. */
export function describeTally({ received, first, last, ended }: SyncTally): string {
  let line = `received ${received} updates`;
  if (first !== undefined && last !== undefined) {
    line += ` (#${first} to #${last})`;
    const missedAtStart = first - 1;
    const missedBetween = last - first + 1 - received;
    if (missedAtStart > 0) line += `, MISSED the first ${missedAtStart}`;
    if (missedBetween > 0) line += `, MISSED ${missedBetween} in between`;
    if (missedAtStart === 0 && missedBetween === 0) line += ", nothing missed";
  }
  return `${line}${ended ? `, then "${END}"` : `, no "${END}" (stopped)`}`;
}

/** Subscribes, checks in, counts the updates until "END" (or until stopped). */
export async function runSyncSubscriber(options: SyncSubscriberOptions): Promise<SyncTally> {
  const log = roleLog(options.name);
  const subscriber = new Subscriber({ linger: 0 });
  closeOnAbort(options.signal, subscriber);
  subscriber.subscribe(); // no filter: everything
  const endpoints = await attach(subscriber, options, log);
  options.onReady?.(endpoints); // tests learn the real ports here

  if (options.sync !== NO_SYNC) {
    // "I am here, and subscribed": one empty request, one empty reply.
    const syncClient = new Request({ linger: 0 });
    closeOnAbort(options.signal, syncClient);
    syncClient.connect(options.sync);
    log.info(`checking in at ${options.sync}`);
    try {
      await syncClient.send(SYNC_REQUEST);
      const reply = await syncClient.receive();
      if (reply.length !== 1 || reply[0]?.length !== 0) {
        log.warn(`the publisher refused the check-in: ${reply.map(describeFrame).join(" ")}`);
      } else log.info("checked in");
    } catch (error) {
      if (!syncClient.closed) throw error; // stopped (Ctrl-C) while checking in
    }
    syncClient.close();
  }

  const tally: SyncTally = { received: 0, ended: false };
  for await (const frames of subscriber) {
    const text = String(frames[0]);
    if (text === END) {
      tally.ended = true;
      break;
    }
    tally.received += 1;
    if (tally.received === 1) log.info(`first update: "${text}"`);
    if (/^\d+$/.test(text)) {
      tally.first ??= Number(text);
      tally.last = Number(text);
    }
  }
  subscriber.close();

  log.info(describeTally(tally));
  return tally;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(syncSubscriberDefaults);
  await runSyncSubscriber({ ...options, signal: stopOnSignals(options.name) });
}
