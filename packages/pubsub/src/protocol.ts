// What travels in the publish-subscribe examples. Ports, message formats and defaults match the
// ZeroMQ Guide's wuserver/wuclient, psenvpub/psenvsub and syncpub/syncsub, so the Guide's roles
// in any language work against ours.

/** Weather updates: the publisher binds here. */
export const WEATHER_PORT = 5556;
/** Pub-sub envelopes: the publisher binds here. */
export const ENVELOPE_PORT = 5563;
/** Synchronised pub-sub: updates go out here... */
export const SYNC_PUBLISH_PORT = 5561;
/** ...once the subscribers have checked in here (REQ/REP). */
export const SYNC_SERVICE_PORT = 5562;

/** One weather update is one frame of text: `"<zip> <temperature> <humidity>"`, e.g. "10001 56 38". */
export interface WeatherUpdate {
  zip: number;
  temperature: number;
  humidity: number;
}

/** The Guide's client subscribes to "10001 " (New York City). The space stops "10001" matching "100010". */
export const DEFAULT_ZIP_FILTER = "10001 ";

/** Zip codes are five digits with leading zeros, as the Guide's `%05d`. */
export function formatWeatherUpdate(update: WeatherUpdate): string {
  return `${String(update.zip).padStart(5, "0")} ${update.temperature} ${update.humidity}`;
}

/** The update in `text`, or undefined when it is not one. */
export function parseWeatherUpdate(text: string): WeatherUpdate | undefined {
  const match = /^(\d{5}) (-?\d+) (\d+)$/.exec(text);
  if (!match) return undefined;
  return { zip: Number(match[1]), temperature: Number(match[2]), humidity: Number(match[3]) };
}

/** Two frames per message: the key (the topic SUB filters on), then the contents. */
export const ENVELOPE_MESSAGES = [
  ["A", "We don't want to see this"],
  ["B", "We would like to see this"],
] as const;
/** The key the Guide's subscriber wants. */
export const WANTED_KEY = "B";

/** A subscriber checks in with one empty frame and gets one empty frame back. */
export const SYNC_REQUEST = "";
export const SYNC_REPLY = "";
/** Updates are the numbers "1", "2"... (the Guide sends "Rhubarb"); the last message is "END". */
export const END = "END";
/** An XPUB socket hands over each subscription as a message: this byte, then the topic. */
export const SUBSCRIBE = 0x01;
export const UNSUBSCRIBE = 0x00;

/**
 * Publishers only ever receive subscriptions (and the sync service empty requests), which are
 * tiny. libzmq itself disconnects a peer that sends a larger frame (ZMQ_MAXMSGSIZE), before our
 * code sees it. The limit is per frame: a message of many small frames still gets through
 * (libzmq 4.3 has no limit on a whole message), and is refused by our checks.
 */
export const MAX_INBOUND_BYTES = 1024;
