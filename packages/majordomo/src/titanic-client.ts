// Titanic client (RFC 9, the Guide's ticlient): hands requests to Titanic, which stores them and
// gives back a uuid each, then asks titanic.reply for each uuid until the reply is there, and
// closes it. The service may be down the whole time the request is accepted: Titanic waits.
// Talks to: titanic.ts through broker.ts (an MDP client); the Guide's titanic in any language.
// Run: pnpm --filter majordomo titanic-client [--service echo] [--body "Hello world"] [--requests 1]
import { setTimeout as sleep } from "node:timers/promises";
import {
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { MajordomoClient } from "./client-api.ts";
import { BROKER_ENDPOINT, type Frame, REQUEST_RETRIES, REQUEST_TIMEOUT_MS } from "./protocol.ts";
import {
  OK,
  PENDING,
  POLL_INTERVAL_MS,
  TICLIENT_BODY,
  TICLIENT_SERVICE,
  TITANIC_CLOSE,
  TITANIC_REPLY,
  TITANIC_REQUEST,
  UNKNOWN,
} from "./titanic-protocol.ts";

export const titanicClientDefaults = {
  connect: [BROKER_ENDPOINT],
  bind: [] as string[],
  /** The service Titanic is to send the requests to... */
  service: TICLIENT_SERVICE,
  /** ...with this body ("Hello world 1", "Hello world 2"... when there are several). */
  body: TICLIENT_BODY,
  requests: 1,
  /** Ask titanic.reply again this often while the replies are pending. */
  pollMs: POLL_INTERVAL_MS,
  /** Each call to Titanic (an MDP request): time-out and tries, the Guide's mdcliapi defaults. */
  timeoutMs: REQUEST_TIMEOUT_MS,
  retries: REQUEST_RETRIES,
  name: "titanic-client",
};
export type TitanicClientOptions = typeof titanicClientDefaults & RoleControl;

export interface TitanicClientResult {
  /** The replies, by the body sent, as text. */
  replies: Map<string, string>;
  /** False when Titanic said a request was unknown ("400"): it was refused, or lost. */
  ok: boolean;
}

/** What a client built on this one adds; exercise 11's uuid cache is one. */
export interface TitanicClientExtension {
  /** Requests an earlier run had accepted (uuid -> body): asked for, not sent again. */
  resumed?: Map<string, string>;
  /** Called once Titanic has accepted a request, before its uuid is used. */
  accepted?: (uuid: string, body: string) => Promise<void>;
  /** Called once a request is done with: closed, or unknown to Titanic ("400"). */
  finished?: (uuid: string) => Promise<void>;
}

export async function runTitanicClient(
  options: TitanicClientOptions,
  extension: TitanicClientExtension = {},
): Promise<TitanicClientResult> {
  const log = roleLog(options.name);
  const [broker] = options.connect;
  if (!broker) throw new Error(`${options.name}: no --connect endpoint given`);
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
  const result: TitanicClientResult = { replies: new Map(), ok: true };
  const bodies = Array.from({ length: options.requests }, (_, index) =>
    options.requests === 1 ? options.body : `${options.body} ${index + 1}`,
  );
  const pause = () =>
    sleep(options.pollMs, undefined, { signal: options.signal }).catch((error: unknown) => {
      if (!options.signal?.aborted) throw error; // stopped: client.closed ends the loops
    });

  // 1. Hand each request to Titanic; once it says "200" + uuid, the request is on its disk.
  const outstanding = new Map<string, string>(extension.resumed); // uuid -> body
  const resumedBodies = new Set(outstanding.values()); // exercise 11 resumes some
  for (const body of bodies) {
    if (resumedBodies.has(body)) continue; // accepted by an earlier run: not sent again
    while (!client.closed) {
      const [status, uuid] = (await call(TITANIC_REQUEST, options.service, body)) ?? [];
      if (status?.toString() === OK && uuid) {
        await extension.accepted?.(uuid.toString(), body); // exercise 11 caches it here
        log.info(`accepted ${uuid} for "${body}"`);
        outstanding.set(uuid.toString(), body);
        break;
      }
      if (status?.toString() === UNKNOWN) {
        log.error(`Titanic refused "${body}" (400); not sent again`);
        result.ok = false;
        break;
      }
      // No answer (Titanic or the broker is down) or "500": Titanic may have stored it anyway.
      log.warn(`"${body}" not accepted (${status ?? "no answer"}); asking again`);
      await pause();
    }
  }

  // 2. Ask for each reply until it is there, then close the request (titanic.close).
  while (outstanding.size > 0 && !client.closed) {
    for (const [uuid, body] of outstanding) {
      const [status, ...reply] = (await call(TITANIC_REPLY, uuid)) ?? [];
      if (status?.toString() === OK) {
        const text = reply.map((frame) => frame.toString()).join(" ");
        log.info(`reply to ${uuid}: "${text}"`);
        result.replies.set(body, text);
        const [closed] = (await call(TITANIC_CLOSE, uuid)) ?? [];
        if (closed?.toString() !== OK) log.warn(`closing ${uuid} said ${closed ?? "nothing"}`);
        else await extension.finished?.(uuid);
        outstanding.delete(uuid);
      } else if (status?.toString() === UNKNOWN) {
        log.error(`Titanic does not know ${uuid} (400): the request is lost`);
        result.ok = false;
        await extension.finished?.(uuid);
        outstanding.delete(uuid);
      } else if (status?.toString() !== PENDING) {
        log.warn(`no reply for ${uuid} yet (${status ?? "no answer"}); asking again`);
      }
      if (client.closed) break;
    }
    if (outstanding.size > 0) await pause();
  }
  client.close();
  if (outstanding.size === 0 && result.ok) log.info(`all ${bodies.length} replies received`);
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(titanicClientDefaults);
  const { ok } = await runTitanicClient({ ...options, signal: stopOnSignals(options.name) });
  process.exitCode = ok ? 0 : 1;
}
