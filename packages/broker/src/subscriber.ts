// Weather subscriber: a SUB socket that takes N updates for one zip code and prints their average.
// Talks to: forwarder.ts (XPUB), or publisher.ts directly. The Guide's wuclient.
// Run: pnpm --filter broker subscriber [--connect tcp://localhost:8100] [--filter "10001 "] [--updates 10]
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
import { FORWARDER_PORT, ZIP_FILTER } from "./protocol.ts";

export const subscriberDefaults = {
  /** The forwarder's subscriber side; the subscriber never learns where the publisher is. */
  connect: [`tcp://localhost:${FORWARDER_PORT}`],
  bind: [] as string[],
  filter: ZIP_FILTER,
  /** The Guide's wuclient takes 100. */
  updates: 10,
  name: "subscriber",
};
export type SubscriberOptions = typeof subscriberDefaults & RoleControl;

/** Receives the updates; returns them (fewer when stopped early). */
export async function runSubscriber(options: SubscriberOptions): Promise<string[]> {
  const log = roleLog(options.name);
  const socket = new Subscriber({ linger: 0 });
  // The subscription travels to whoever this socket connects to: here the forwarder's XPUB,
  // which passes it on upstream to the publisher.
  socket.subscribe(options.filter);
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);
  log.info(`subscribing to ${describeFrame(Buffer.from(options.filter))}`);

  const updates: string[] = [];
  for await (const [update] of socket) {
    updates.push(String(update));
    log.info(`received ${describeFrame(update!)} (${updates.length}/${options.updates})`);
    if (updates.length === options.updates) break;
  }
  socket.close();

  const temperatures = updates.map((update) => Number(update.split(" ")[1]));
  const average = temperatures.reduce((sum, t) => sum + t, 0) / temperatures.length;
  const summary = updates.length > 0 ? `, average temperature ${average.toFixed(1)}F` : "";
  log.info(`${updates.length} updates for ${options.filter.trim()}${summary}`);
  return updates;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(subscriberDefaults);
  await runSubscriber({ ...options, signal: stopOnSignals(options.name) });
}
