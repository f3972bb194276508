// Exercise 12 (your file): Titanic that closes, by itself, answered requests nobody closed
// (purgeAfterMs after the reply was stored), so that abandoned requests do not stay on its disk
// for ever. The rest is the lesson's Titanic (src/titanic.ts), which calls your purge once per
// dispatcher pass.
// Run: tsx exercises/12-titanic-purge/purging-titanic.ts --purge-after-ms 60000
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
  // Titanic's dispatcher calls this once per pass over its queue, with its store and its log.
  // biome-ignore lint/correctness/noUnusedFunctionParameters: store and log are yours to use
  const purge = async (store: TitanicStore, log: Logger) => {
    // TODO: when options.purgeAfterMs > 0, close (store.close) every request answered more than
    // purgeAfterMs ago (store.answered() says when), logging each with log.info
    // `purged <uuid> (answered <ms> ms ago, never closed)`; count it in counts.purged.
  };
  const titanicCounts = await runTitanic(options, { eachPass: purge });
  return { ...titanicCounts, ...counts };
}

if (isMain(import.meta.url)) {
  const options = parseFlags(purgingTitanicDefaults);
  await runPurgingTitanic({ ...options, signal: stopOnSignals(options.name) });
}
