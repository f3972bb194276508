// Exercise 11 (your file): a Titanic client that remembers its uuids on disk, so that after a
// crash it asks for the replies of what Titanic already accepted instead of sending it all
// again. Today it is the lesson's client (src/titanic-client.ts): see TASK.md for the TODOs.
// Run: tsx exercises/11-titanic-uuid-cache/cached-titanic-client.ts [--cache data/ticlient-cache.jsonl]
import { setTimeout as sleep } from "node:timers/promises";
import {
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { MajordomoClient } from "#src/client-api.ts";
import { BROKER_ENDPOINT, type Frame, REQUEST_RETRIES, REQUEST_TIMEOUT_MS } from "#src/protocol.ts";
import {
  OK,
  POLL_INTERVAL_MS,
  TICLIENT_BODY,
  TICLIENT_SERVICE,
  TITANIC_CLOSE,
  TITANIC_REPLY,
  TITANIC_REQUEST,
  UNKNOWN,
} from "#src/titanic-protocol.ts";

export const cachedTitanicClientDefaults = {
  connect: [BROKER_ENDPOINT],
  bind: [] as string[],
  service: TICLIENT_SERVICE,
  body: TICLIENT_BODY,
  requests: 1,
  pollMs: POLL_INTERVAL_MS,
  timeoutMs: REQUEST_TIMEOUT_MS,
  retries: REQUEST_RETRIES,
  /** Where the client keeps the uuids Titanic gave it, until each request is closed. */
  cache: "data/ticlient-cache.jsonl",
  name: "titanic-client",
};
export type CachedTitanicClientOptions = typeof cachedTitanicClientDefaults & RoleControl;

/** One line of the cache: a request Titanic accepted, or one the client has closed. */
export type CacheRecord = { uuid: string; body: string } | { closed: string };

export interface CachedTitanicClientResult {
  /** The replies, by the body sent, as text. */
  replies: Map<string, string>;
  ok: boolean;
}

export async function runCachedTitanicClient(
  options: CachedTitanicClientOptions,
): Promise<CachedTitanicClientResult> {
  const log = roleLog(options.name);
  const [broker] = options.connect;
  if (!broker) throw new Error(`${options.name}: no --connect endpoint given`);
  // TODO 1: open the cache (openJsonLinesStore<CacheRecord>(options.cache, log)).
  // After its retries the client API gives up with null, and its REQ socket still waits for
  // that reply: a REQ's next send would wait for ever. So a new client after each null.
  const connect = () =>
    new MajordomoClient({
      broker,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      signal: options.signal,
      log,
    });
  let client = connect();
  const call = async (service: string, ...body: Frame[]) => {
    const reply = await client.request(service, ...body);
    if (reply === null && !client.closed) {
      client.close();
      client = connect();
    }
    return reply;
  };
  options.onReady?.([broker]);
  const result: CachedTitanicClientResult = { replies: new Map(), ok: true };
  const bodies = Array.from({ length: options.requests }, (_, index) =>
    options.requests === 1 ? options.body : `${options.body} ${index + 1}`,
  );
  const pause = () =>
    sleep(options.pollMs, undefined, { signal: options.signal }).catch((error: unknown) => {
      if (!options.signal?.aborted) throw error;
    });

  const outstanding = new Map<string, string>(); // uuid -> body
  // TODO 2: put what an earlier run left in the cache (accepted, not closed) into `outstanding`,
  // log `resuming <uuid> for "<body>" (cached)` for each, and do not send those bodies again.

  for (const body of bodies) {
    while (!client.closed) {
      const [status, uuid] = (await call(TITANIC_REQUEST, options.service, body)) ?? [];
      if (status?.toString() === OK && uuid) {
        // TODO 3: store { uuid, body } in the cache, on disk, before going on.
        log.info(`accepted ${uuid} for "${body}"`);
        outstanding.set(uuid.toString(), body);
        break;
      }
      if (status?.toString() === UNKNOWN) {
        log.error(`Titanic refused "${body}" (400); not sent again`);
        result.ok = false;
        break;
      }
      log.warn(`"${body}" not accepted (${status ?? "no answer"}); asking again`);
      await pause();
    }
  }

  while (outstanding.size > 0 && !client.closed) {
    for (const [uuid, body] of outstanding) {
      const [status, ...reply] = (await call(TITANIC_REPLY, uuid)) ?? [];
      if (status?.toString() === OK) {
        const text = reply.map((frame) => frame.toString()).join(" ");
        log.info(`reply to ${uuid}: "${text}"`);
        result.replies.set(body, text);
        const [closed] = (await call(TITANIC_CLOSE, uuid)) ?? [];
        if (closed?.toString() !== OK) {
          log.warn(`closing ${uuid} said ${closed ?? "nothing"}; asking again`);
          continue; // still outstanding: closed on a later round
        }
        // TODO 4: store { closed: uuid } in the cache.
        outstanding.delete(uuid);
      } else if (status?.toString() === UNKNOWN) {
        log.error(`Titanic does not know ${uuid} (400): the request is lost`);
        result.ok = false;
        outstanding.delete(uuid);
      }
      if (client.closed) break;
    }
    if (outstanding.size > 0) await pause();
  }
  client.close();
  // TODO 5: close the cache.
  if (outstanding.size === 0 && result.ok) log.info(`all ${bodies.length} replies received`);
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(cachedTitanicClientDefaults);
  const { ok } = await runCachedTitanicClient({
    ...options,
    signal: stopOnSignals(options.name),
  });
  process.exitCode = ok ? 0 : 1;
}
