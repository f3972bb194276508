// Exercise 12 (reference solution): Titanic that closes, by itself, answered requests nobody
// closed (purgeAfterMs after the reply was stored), so that abandoned requests do not stay on its
// disk for ever. The rest is the lesson's Titanic (src/titanic.ts), which calls the purge once
// per dispatcher pass.
// Run: tsx exercises/12-titanic-purge/solution/purging-titanic.ts --purge-after-ms 60000
import { isMain, type Logger, parseFlags, stopOnSignals } from "@zmq-patterns/helpers";
import {
  runTitanic,
  type TitanicCounts,
  type TitanicOptions,
  titanicDefaults,
} from "#src/titanic.ts";
import type { TitanicStore } from "#src/titanic-store.ts";

export const purgingTitanicDefaults = {
  ...titanicDefaults,
  /** Close a request nobody closed this long after its reply was stored (0: never). */
  purgeAfterMs: 0,
};
export type PurgingTitanicOptions = TitanicOptions & { purgeAfterMs: number };

export interface PurgingTitanicCounts extends TitanicCounts {
  /** Answered requests Titanic closed itself because nobody did (purgeAfterMs). */
  purged: number;
}

/** Runs Titanic, purging as it goes, until stopped; returns what it did. */
export async function runPurgingTitanic(
  options: PurgingTitanicOptions,
): Promise<PurgingTitanicCounts> {
  const counts = { purged: 0 }; // Titanic's own counts come from runTitanic
  // #region purge
  // A request whose client never closed it (it crashed, or its "200" was lost and it asked
  // again under a new uuid) would stay on disk for ever: close it once it is old enough.
  const purge = async (store: TitanicStore, log: Logger) => {
    if (options.purgeAfterMs <= 0) return;
    const now = Date.now();
    for (const { uuid, answeredAt } of store.answered()) {
      if (now - answeredAt < options.purgeAfterMs) continue;
      await store.close(uuid);
      counts.purged += 1;
      log.info(`purged ${uuid} (answered ${Math.round(now - answeredAt)} ms ago, never closed)`);
    }
  };
  // #endregion purge
  const titanicCounts = await runTitanic(options, { eachPass: purge });
  return { ...titanicCounts, ...counts };
}

if (isMain(import.meta.url)) {
  const options = parseFlags(purgingTitanicDefaults);
  await runPurgingTitanic({ ...options, signal: stopOnSignals(options.name) });
}
