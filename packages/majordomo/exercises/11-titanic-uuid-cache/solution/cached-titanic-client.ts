// Exercise 11 (reference solution): a Titanic client that remembers its uuids on disk, so that
// after a crash it asks for the replies of what Titanic already accepted instead of sending it
// all again (which would run every request twice). The cache is a JSON-lines file (helpers'
// openJsonLinesStore): {"uuid","body"} once accepted, {"closed": uuid} once closed. The rest is
// the lesson's client (src/titanic-client.ts), which calls the cache at those two moments.
// Run: tsx exercises/11-titanic-uuid-cache/solution/cached-titanic-client.ts [--cache data/ticlient-cache.jsonl]
import {
  isMain,
  openJsonLinesStore,
  parseFlags,
  roleLog,
  stopOnSignals,
} from "@zmq-patterns/helpers";
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
  const log = roleLog(options.name);
  const cache = await openJsonLinesStore<CacheRecord>(options.cache, log);
  // What an earlier run left: accepted and not closed. Those are asked for, not sent again.
  const resumed = new Map<string, string>(); // uuid -> body
  for (const record of cache.records) {
    if ("closed" in record) resumed.delete(record.closed);
    else resumed.set(record.uuid, record.body);
  }
  for (const [uuid, body] of resumed) log.info(`resuming ${uuid} for "${body}" (cached)`);
  const result = await runTitanicClient(options, {
    resumed,
    // On disk before anything else: a crash from here on finds it at the next start.
    accepted: (uuid, body) => cache.append({ uuid, body }),
    finished: (uuid) => cache.append({ closed: uuid }),
  });
  await cache.close();
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
