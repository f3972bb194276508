// Envelope subscriber: a SUB socket that subscribes to one key and prints "[key] contents".
// Talks to: envelope-publisher.ts (PUB), or the Guide's psenvpub in any language.
// Run: pnpm --filter pubsub envelope-subscriber [--connect tcp://localhost:5563] [--messages 0]
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
import { Subscriber } from "zeromq";
import { ENVELOPE_PORT, WANTED_KEY } from "./protocol.ts";

export const envelopeSubscriberDefaults = {
  connect: [`tcp://localhost:${ENVELOPE_PORT}`],
  bind: [] as string[],
  key: WANTED_KEY,
  /** Stop after this many messages; 0 runs until stopped, like the Guide's. */
  messages: 0,
  name: "envelope-subscriber",
};
export type EnvelopeSubscriberOptions = typeof envelopeSubscriberDefaults & RoleControl;

export interface KeyedMessage {
  key: string;
  contents: string;
}

/** Receives keyed messages until it has `messages` of them or is stopped; returns them. */
export async function runEnvelopeSubscriber(
  options: EnvelopeSubscriberOptions,
): Promise<KeyedMessage[]> {
  const log = roleLog(options.name);
  const socket = new Subscriber({ linger: 0 });
  closeOnAbort(options.signal, socket);
  socket.subscribe(options.key); // matched against the first frame: the key
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints); // tests learn the real port here

  const received: KeyedMessage[] = [];
  for await (const frames of socket) {
    const [key, contents] = frames;
    if (frames.length !== 2 || !key || !contents) {
      log.warn(`expected 2 frames (key, contents), got: ${frames.map(describeFrame).join(" ")}`);
      continue;
    }
    received.push({ key: key.toString(), contents: contents.toString() });
    log.info(`[${key}] ${contents}`);
    if (received.length === options.messages) break;
  }
  socket.close();

  log.info(`received ${received.length} messages for key "${options.key}"`);
  return received;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(envelopeSubscriberDefaults);
  await runEnvelopeSubscriber({ ...options, signal: stopOnSignals(options.name) });
}
