// Envelope publisher: a PUB socket that sends two-frame messages, the key in its own first frame.
// Talks to: envelope-subscriber.ts (SUB on key "B"), or the Guide's psenvsub in any language.
// Run: pnpm --filter pubsub envelope-publisher [--bind tcp://*:5563] [--interval-ms 1000]
import { setTimeout as sleep } from "node:timers/promises";
import {
  attach,
  closeOnAbort,
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { Publisher } from "zeromq";
import { ENVELOPE_MESSAGES, ENVELOPE_PORT, MAX_INBOUND_BYTES } from "./protocol.ts";

export const envelopePublisherDefaults = {
  bind: [`tcp://*:${ENVELOPE_PORT}`],
  connect: [] as string[],
  /** Pause between rounds of messages, as the Guide's publisher sleeps 1 s. */
  intervalMs: 1000,
  name: "envelope-publisher",
};
export type EnvelopePublisherOptions = typeof envelopePublisherDefaults & RoleControl;

/** Publishes a round of keyed messages every interval until stopped; returns how many rounds. */
export async function runEnvelopePublisher(options: EnvelopePublisherOptions): Promise<number> {
  const log = roleLog(options.name);
  // PUB ignores anything a peer sends but subscriptions; bigger than MAX_INBOUND_BYTES: dropped.
  const socket = new Publisher({ linger: 0, maxMessageSize: MAX_INBOUND_BYTES });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints); // tests learn the real port here

  let rounds = 0;
  try {
    while (!socket.closed) {
      for (const [key, contents] of ENVELOPE_MESSAGES) {
        // Two frames, one message: SUB matches its filter against the first frame only, and
        // delivers the message whole or not at all.
        await socket.send([key, contents]);
      }
      rounds += 1;
      log.info(`published ${ENVELOPE_MESSAGES.map(([key]) => `[${key}]`).join(" ")} (${rounds})`);
      await sleep(options.intervalMs, undefined, { signal: options.signal });
    }
  } catch (error) {
    if (!socket.closed) throw error; // a send or the pause cut short by Ctrl-C is how we stop
  }

  log.info(`stopped after ${rounds} rounds`);
  return rounds;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(envelopePublisherDefaults);
  await runEnvelopePublisher({ ...options, signal: stopOnSignals(options.name) });
}
