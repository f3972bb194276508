// Weather client: a SUB socket that subscribes to one zip code, averages N temperatures and exits.
// Talks to: weather-server.ts (PUB), or the Guide's wuserver in any language.
// Run: pnpm --filter pubsub weather-client [--connect tcp://localhost:5556] [--filter "10001 "]
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
import { DEFAULT_ZIP_FILTER, parseWeatherUpdate, WEATHER_PORT } from "./protocol.ts";

export const weatherClientDefaults = {
  connect: [`tcp://localhost:${WEATHER_PORT}`],
  bind: [] as string[],
  /** SUB filters on a prefix of the message: "10001 " keeps only zip code 10001's updates. */
  filter: DEFAULT_ZIP_FILTER,
  updates: 100,
  name: "weather-client",
};
export type WeatherClientOptions = typeof weatherClientDefaults & RoleControl;

export interface WeatherReport {
  /** The updates that went into the average, as received. */
  updates: string[];
  /** Mean temperature over them (NaN when there were none). */
  averageTemperature: number;
}

/** Collects `updates` matching updates (fewer if stopped) and averages their temperatures. */
export async function runWeatherClient(options: WeatherClientOptions): Promise<WeatherReport> {
  const log = roleLog(options.name);
  const socket = new Subscriber({ linger: 0 });
  closeOnAbort(options.signal, socket);
  // Without a subscription a SUB socket receives nothing at all. The filter travels to the
  // publisher, which then sends this socket only the messages that start with it.
  socket.subscribe(options.filter);
  const endpoints = await attach(socket, options, log);
  options.onReady?.(endpoints); // tests learn the real port here
  log.info(`collecting ${options.updates} updates for zip code filter "${options.filter}"`);

  const updates: string[] = [];
  let totalTemperature = 0;
  if (options.updates > 0) {
    for await (const frames of socket) {
      const text = frames.length === 1 ? String(frames[0]) : "";
      const update = parseWeatherUpdate(text);
      if (!update) {
        log.warn(`not a weather update, skipped: ${frames.map(describeFrame).join(" ")}`);
        continue;
      }
      updates.push(text);
      totalTemperature += update.temperature;
      if (updates.length <= 3 || updates.length === options.updates) {
        log.info(`received "${text}" (${updates.length}/${options.updates})`);
      }
      if (updates.length === options.updates) break;
    }
  }
  socket.close();

  const averageTemperature = totalTemperature / updates.length;
  const zip = options.filter.trim();
  if (updates.length === options.updates) {
    log.info(`average temperature for zip code "${zip}" was ${Math.round(averageTemperature)}F`);
  } else {
    log.info(`stopped after ${updates.length} of ${options.updates} updates for "${zip}"`);
  }
  return { updates, averageTemperature };
}

if (isMain(import.meta.url)) {
  const options = parseFlags(weatherClientDefaults);
  await runWeatherClient({ ...options, signal: stopOnSignals(options.name) });
}
