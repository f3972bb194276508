// Weather publisher: a PUB socket that sends "<zip> <temperature> <humidity>" updates until stopped.
// Talks to: forwarder.ts (XSUB) or subscriber.ts (SUB) directly. The Guide's wuserver.
// Run: pnpm --filter broker publisher [--bind tcp://*:5556] [--interval-ms 10] [--first-zip 10000 --zip-count 10]
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
import { WEATHER_PORT } from "./protocol.ts";

export const publisherDefaults = {
  bind: [`tcp://*:${WEATHER_PORT}`],
  connect: [] as string[],
  /**
   * The Guide's wuserver publishes flat out and draws zip codes from 00000-99999; a pace and a
   * narrow range keep a demo readable and let a subscriber see its zip code several times a second.
   */
  intervalMs: 10,
  firstZip: 10000,
  zipCount: 10,
  name: "publisher",
};
export type PublisherOptions = typeof publisherDefaults & RoleControl;

const randomInt = (below: number) => Math.floor(Math.random() * below);

/** One update, as wuserver formats it: zip code, temperature (F), relative humidity (%). */
export function weatherUpdate(zip: number): string {
  const temperature = randomInt(215) - 80;
  const humidity = randomInt(50) + 10;
  return `${String(zip).padStart(5, "0")} ${temperature} ${humidity}`;
}

/** Publishes until stopped; returns how many updates it sent. */
export async function runPublisher(options: PublisherOptions): Promise<number> {
  const log = roleLog(options.name);
  const socket = new Publisher({ linger: 0 });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints);
  log.info(`publishing an update every ${options.intervalMs} ms`);

  let sent = 0;
  // A PUB socket never waits: with no subscriber for a zip code, the update is simply dropped.
  while (!socket.closed) {
    await socket.send(weatherUpdate(options.firstZip + randomInt(options.zipCount)));
    sent += 1;
    await sleep(options.intervalMs); // a pace, not a synchronisation: nothing waits on it
  }

  log.info(`stopped after ${sent} updates`);
  return sent;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(publisherDefaults);
  await runPublisher({ ...options, signal: stopOnSignals(options.name) });
}
