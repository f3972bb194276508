// Exercise 01 (your file): the Lazy Pirate client, to which you add exponential back-off. The
// rest is the lesson's client (src/lazy-client.ts), which calls your back-off after each failed
// try, before it resends. The task is in TASK.md. Check your work: pnpm --filter pirates exercise 01
// Run: pnpm --filter pirates exec tsx exercises/01-backoff-client/backoff-client.ts [--connect tcp://localhost:5555] [--backoff-ms 1000] [--backoff-max-ms 32000]
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

/** Sends the requests one by one, retrying each on a fresh socket (TODO: after a growing wait). */
export async function runBackoffClient(
  options: BackoffClientOptions,
): Promise<BackoffClientResult> {
  const waits: number[] = [];
  // The lesson's client calls this after a failed try, with the old socket closed, before it
  // opens the new one; resend is 1 for a request's first resend, 2 for its second, ...
  // biome-ignore lint/correctness/noUnusedFunctionParameters: request, resend and log are yours to use
  const backOff = async (request: string, resend: number, log: Logger) => {
    // TODO: work out this wait (options.backoffMs, doubling, up to options.backoffMaxMs), log
    // `waiting <ms> ms before resending <request>` with log.info, push it onto waits and wait
    // that long; a stop (options.signal) must end the wait at once.
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
