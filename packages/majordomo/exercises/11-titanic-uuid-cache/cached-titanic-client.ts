// Exercise 11 (your file): a Titanic client that remembers its uuids on disk, so that after a
// crash it asks for the replies of what Titanic already accepted instead of sending it all
// again. The rest is the lesson's client (src/titanic-client.ts), which calls `accepted` and
// `finished` below at those moments: see TASK.md for the TODOs.
// Run: tsx exercises/11-titanic-uuid-cache/cached-titanic-client.ts [--cache data/ticlient-cache.jsonl]
import { isMain, parseFlags, roleLog, stopOnSignals } from "@zmq-patterns/helpers";
import {
  runTitanicClient,
  type TitanicClientOptions,
  type TitanicClientResult,
  titanicClientDefaults,
} from "#src/titanic-client.ts";

export const cachedTitanicClientDefaults = {
  ...titanicClientDefaults,
  /** Where the client keeps the uuids Titanic gave it, until each request is closed. */
  cache: "data/ticlient-cache.jsonl",
};
export type CachedTitanicClientOptions = TitanicClientOptions & { cache: string };

/** One line of the cache: a request Titanic accepted, or one the client has closed. */
export type CacheRecord = { uuid: string; body: string } | { closed: string };

export async function runCachedTitanicClient(
  options: CachedTitanicClientOptions,
): Promise<TitanicClientResult> {
  // biome-ignore lint/correctness/noUnusedVariables: yours to use (TODO 1 and 2)
  const log = roleLog(options.name);
  // TODO 1: open the cache (openJsonLinesStore<CacheRecord>(options.cache, log)).
  // TODO 2: put what an earlier run left in the cache (accepted, not closed) into `resumed`,
  // and log `resuming <uuid> for "<body>" (cached)` for each: the client does not send those
  // bodies again.
  const resumed = new Map<string, string>(); // uuid -> body
  const result = await runTitanicClient(options, {
    resumed,
    // biome-ignore lint/correctness/noUnusedFunctionParameters: yours to use
    accepted: async (uuid, body) => {
      // TODO 3: store { uuid, body } in the cache, on disk, before going on.
    },
    // biome-ignore lint/correctness/noUnusedFunctionParameters: yours to use
    finished: async (uuid) => {
      // TODO 4: store { closed: uuid } in the cache (closed, or unknown to Titanic).
    },
  });
  // TODO 5: close the cache.
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
