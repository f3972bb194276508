// What a benchmark is: a question, the cases that answer it, the metric that compares them, and
// the lesson a learner can act on. `pnpm bench` runs every case several times (see runner.ts);
// adding a benchmark is one module in benchmarks/ and one line in benchmarks/index.ts.
import type { Summary } from "./stats.ts";

export interface Metric {
  /** The unit, as shown in tables: "msg/s", "Mb/s", "us". */
  unit: string;
  higherIsBetter: boolean;
}

export interface Case {
  label: string;
  /** One run; returns a value for each metric of the benchmark, by unit. */
  measure(): Promise<Record<string, number>>;
}

export interface Benchmark {
  id: string;
  title: string;
  /** One or two sentences: what is compared, and how (counts, sizes, transport). */
  setup: string;
  /** The first metric is the one charted and compared; the others are shown in the table. */
  metrics: [Metric, ...Metric[]];
  cases: Case[];
  /** One sentence a learner can act on, with the numbers of this run. */
  lesson(results: CaseResult[]): string;
}

export interface CaseResult {
  label: string;
  /** Summary of each metric, by unit. */
  metrics: Record<string, Summary>;
}

export interface BenchmarkResult {
  benchmark: Benchmark;
  cases: CaseResult[];
}

/** The median of the first metric of the case labelled `label`. */
export function medianOf(results: CaseResult[], label: string, unit?: string): number {
  const found = results.find((result) => result.label === label);
  if (!found) throw new Error(`no case "${label}"`);
  const summary = unit ? found.metrics[unit] : Object.values(found.metrics)[0];
  if (!summary) throw new Error(`no metric "${unit}" for "${label}"`);
  return summary.median;
}

/** "3.2×" style ratio, for lessons. */
export const times = (a: number, b: number): string => `${(a / b).toFixed(1)}×`;
