// Runs benchmarks: every case `repeats` times, one run at a time, cases interleaved run by run
// (1,2,3,1,2,3...) so that a slow moment of the machine does not hit one case only.
import type { Benchmark, BenchmarkResult, CaseResult } from "./benchmark.ts";
import { summarize } from "./stats.ts";

export interface RunOptions {
  repeats: number;
  /** Called after each run, for progress lines. */
  onRun?: (benchmark: Benchmark, label: string, values: Record<string, number>) => void;
}

export async function runBenchmark(
  benchmark: Benchmark,
  options: RunOptions,
): Promise<BenchmarkResult> {
  const samples = benchmark.cases.map(() => new Map<string, number[]>());
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    for (const [index, entry] of benchmark.cases.entries()) {
      const values = await entry.measure();
      for (const { unit } of benchmark.metrics) {
        const value = values[unit];
        if (value === undefined) throw new Error(`${benchmark.id}/${entry.label}: no ${unit}`);
        const list = samples[index]!.get(unit) ?? [];
        list.push(value);
        samples[index]!.set(unit, list);
      }
      options.onRun?.(benchmark, entry.label, values);
    }
  }
  const cases: CaseResult[] = benchmark.cases.map((entry, index) => ({
    label: entry.label,
    metrics: Object.fromEntries(
      [...samples[index]!].map(([unit, values]) => [unit, summarize(values)]),
    ),
  }));
  return { benchmark, cases };
}
