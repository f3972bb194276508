// Exercise 01, reference solution: the Lazy Pirate client with exponential back-off. After a
// failed try it waits before resending, the wait doubling from --backoff-ms up to
// --backoff-max-ms, and starting again from --backoff-ms for each new request. The rest is the
// lesson's client (src/lazy-client.ts), which calls the back-off before each resend.
// Run: pnpm --filter pirates exec tsx exercises/01-backoff-client/backoff-client.ts [--connect tcp://localhost:5555] [--backoff-ms 1000] [--backoff-max-ms 32000]
import { setTimeout as sleep } from "node:timers/promises";
import { isMain, type Logger, parseFlags, roleLog, stopOnSignals } from "@zmq-patterns/helpers";
import {
  type LazyClientOptions,
  type LazyClientResult,
  lazyClientDefaults,
  runLazyClient,
} from "#src/lazy-client.ts";
import { RECONNECT_INITIAL_MS, RECONNECT_MAX_MS } from "#src/protocol.ts";

export const backoffClientDefaults = {
  ...lazyClientDefaults,
  /** The first wait before a resend; it doubles after each failed try, up to backoffMaxMs. */
  backoffMs: RECONNECT_INITIAL_MS,
  backoffMaxMs: RECONNECT_MAX_MS,
};
export type BackoffClientOptions = LazyClientOptions & { backoffMs: number; backoffMaxMs: number };

export interface BackoffClientResult extends LazyClientResult {
  /** Every back-off wait the client began, in milliseconds, in order. */
  waits: number[];
}

/** Sends the requests one by one, retrying each on a fresh socket after a growing wait. */
export async function runBackoffClient(
  options: BackoffClientOptions,
): Promise<BackoffClientResult> {
  const waits: number[] = [];
  // The lesson's client calls this after a failed try, with the old socket closed, before it
  // opens the new one; resend is 1 for a request's first resend, so a success starts over.
  const backOff = async (request: string, resend: number, log: Logger) => {
    // A server that is down or overloaded gets more time to recover with each failed try,
    // instead of a burst of resends from every client at once.
    const ms = Math.min(options.backoffMs * 2 ** (resend - 1), options.backoffMaxMs);
    log.info(`waiting ${ms} ms before resending ${request}`);
    waits.push(ms);
    // A stop ends the wait at once; the lesson's client then returns without a new socket.
    await sleep(ms, undefined, { signal: options.signal }).catch(() => {});
  };
  const result = await runLazyClient(options, { beforeResend: backOff });
  return { ...result, waits };
}

if (isMain(import.meta.url)) {
  const options = parseFlags(backoffClientDefaults);
  const signal = stopOnSignals(options.name);
  const { replies, gaveUp, waits } = await runBackoffClient({ ...options, signal });
  const log = roleLog(options.name);
  const outcome = gaveUp ? "gave up" : signal.aborted ? "stopped" : "done";
  log.info(
    `${outcome}: ${replies.length} of ${options.requests} requests answered, ${waits.length} back-off waits`,
  );
  if (gaveUp) process.exitCode = 1;
}
