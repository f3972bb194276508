// Majordomo asynchronous client: keeps many requests in flight on one DEALER (async-client-api.ts)
// and matches each reply, as it comes, to the request it answers (by the number in its body).
// What is still unanswered after a quiet time-out is sent again, a few times; duplicates are dropped.
// Talks to: broker.ts (or the Guide's mdbroker in any language). The Guide's mdclient2.
// Run: pnpm --filter majordomo async-client [--connect tcp://localhost:5555] [--service echo] [--requests 100] [--window 100]
import {
  isMain,
  parseFlags,
  type RoleControl,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
import { MajordomoAsyncClient } from "./async-client-api.ts";
import { BROKER_ENDPOINT, ECHO_SERVICE, REQUEST_RETRIES, REQUEST_TIMEOUT_MS } from "./protocol.ts";

export const asyncClientDefaults = {
  connect: [BROKER_ENDPOINT],
  bind: [] as string[],
  service: ECHO_SERVICE,
  /** Requests to send in all (the Guide's mdclient2 sends 100 000). */
  requests: 100,
  /** At most this many requests in flight at once. */
  window: 100,
  /** After this long without any reply, what is unanswered is sent again... */
  timeoutMs: REQUEST_TIMEOUT_MS,
  /** ...this many times in all. */
  retries: REQUEST_RETRIES,
  /** Don't log each reply. */
  quiet: false,
  name: "async-client",
};
export type AsyncClientOptions = typeof asyncClientDefaults & RoleControl;

export interface AsyncClientResult {
  /** How many distinct requests were answered. */
  answered: number;
  /** Replies for a request already answered (its resend was answered too). */
  duplicates: number;
  gaveUp: boolean;
}

/** Sends the requests with up to `window` in flight; returns once all are answered (or it gives up). */
export async function runAsyncClient(options: AsyncClientOptions): Promise<AsyncClientResult> {
  const log = roleLog(options.name);
  const [broker] = options.connect;
  if (!broker) throw new Error(`${options.name}: no --connect endpoint given`);
  const client = new MajordomoAsyncClient({ broker, signal: options.signal, log });
  options.onReady?.([broker]);
  const result: AsyncClientResult = { answered: 0, duplicates: 0, gaveUp: false };
  const outstanding = new Set<number>(); // sent, not answered yet
  let next = 1; // the next request number to send
  let triesLeft = options.retries - 1;
  log.info(
    `sending ${options.requests} requests to "${options.service}", at most ${options.window} in flight`,
  );

  while (result.answered < options.requests && !client.closed) {
    while (outstanding.size < options.window && next <= options.requests) {
      outstanding.add(next);
      await client.send(options.service, String(next++));
    }
    const reply = await client.receive({ timeoutMs: options.timeoutMs });
    if (reply === null) {
      if (client.closed) break; // stopped
      if (triesLeft === 0) {
        log.error(
          `${outstanding.size} requests unanswered after ${options.retries} tries; giving up`,
        );
        result.gaveUp = true;
        break;
      }
      triesLeft -= 1;
      log.warn(
        `no reply in ${options.timeoutMs} ms; sending the ${outstanding.size} unanswered again`,
      );
      for (const number of outstanding) await client.send(options.service, String(number));
      continue;
    }
    const number = Number(reply.body[0]?.toString());
    if (reply.service !== options.service || !outstanding.delete(number)) {
      result.duplicates += 1; // a resent request answered twice, or a stray reply
      log.warn(
        `reply "${reply.body.map(String).join(" ")}" from "${reply.service}" matches no request in flight; dropped`,
      );
      continue;
    }
    result.answered += 1;
    triesLeft = options.retries - 1; // the service is alive
    if (!options.quiet) log.info(`reply ${number} (${result.answered}/${options.requests})`);
  }

  client.close();
  log.info(
    `${result.answered} of ${options.requests} requests answered (${result.duplicates} duplicates dropped)`,
  );
  return result;
}

if (isMain(import.meta.url)) {
  const options = parseFlags(asyncClientDefaults);
  const { gaveUp } = await runAsyncClient({ ...options, signal: stopOnSignals(options.name) });
  if (gaveUp) process.exitCode = 1;
}
