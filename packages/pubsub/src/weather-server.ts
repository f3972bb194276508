// Weather server: a PUB socket publishing random "<zip> <temperature> <humidity>" flat out.
// Talks to: weather-client.ts (SUB), any number of them, or the Guide's wuclient in any language.
// Run: pnpm --filter pubsub weather-server [--bind tcp://*:5556] [--zip-min 0 --zip-max 99999]
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
import {
  formatWeatherUpdate,
  MAX_INBOUND_BYTES,
  WEATHER_PORT,
  type WeatherUpdate,
} from "./protocol.ts";

export const weatherServerDefaults = {
  bind: [`tcp://*:${WEATHER_PORT}`],
  connect: [] as string[],
  /** Zip codes are drawn from zipMin..zipMax; the Guide's 0..99999 makes a client wait a while. */
  zipMin: 0,
  zipMax: 99999,
  name: "weather-server",
};
export type WeatherServerOptions = typeof weatherServerDefaults & RoleControl;

const randomInteger = (below: number) => Math.floor(Math.random() * below);

/** The Guide's weather: temperature -80..134 F, relative humidity 10..59 %. */
export function randomWeather(zipMin: number, zipMax: number): WeatherUpdate {
  return {
    zip: zipMin + randomInteger(zipMax - zipMin + 1),
    temperature: randomInteger(215) - 80,
    humidity: randomInteger(50) + 10,
  };
}

/** Why zipMin..zipMax is not a range of five-digit zip codes, or undefined when it is one. */
export function zipRangeProblem({ zipMin, zipMax }: { zipMin: number; zipMax: number }) {
  const valid = Number.isInteger(zipMin) && Number.isInteger(zipMax);
  if (valid && 0 <= zipMin && zipMin <= zipMax && zipMax <= 99999) return undefined;
  return `--zip-min ${zipMin} --zip-max ${zipMax} is not a range of zip codes within 0..99999`;
}

/** Publishes until stopped; returns how many updates it sent. */
export async function runWeatherServer(options: WeatherServerOptions): Promise<number> {
  const log = roleLog(options.name);
  const problem = zipRangeProblem(options);
  if (problem) throw new Error(problem);
  // A PUB socket reads nothing but subscriptions from its peers; MAX_INBOUND_BYTES makes libzmq
  // drop a peer that sends anything bigger, and PUB ignores whatever else a peer sends.
  const socket = new Publisher({ linger: 0, maxMessageSize: MAX_INBOUND_BYTES });
  closeOnAbort(options.signal, socket);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints); // tests learn the real port here

  log.info(`publishing weather for zip codes ${options.zipMin}..${options.zipMax}`);
  let published = 0;
  // No subscriber, or none for this zip code? PUB drops the update: sending never waits.
  while (!socket.closed) {
    const update = formatWeatherUpdate(randomWeather(options.zipMin, options.zipMax));
    try {
      await socket.send(update);
    } catch (error) {
      if (socket.closed) break; // stopped (Ctrl-C)
      throw error;
    }
    published += 1;
  }

  log.info(`stopped after publishing ${published} updates`);
  return published;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(weatherServerDefaults);
  const problem = zipRangeProblem(options);
  if (problem) {
    roleLog(options.name).error(problem);
    process.exit(2);
  }
  await runWeatherServer({ ...options, signal: stopOnSignals(options.name) });
}
