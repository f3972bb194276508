// `pnpm bench`: runs every benchmark (benchmarks/index.ts) with bounded counts, each case
// several times, and writes the results page docs/performance.md and its chart
// docs/performance.svg. Takes a few minutes on 2 cores.
//   pnpm --filter perf bench [--repeats 5] [--scale 1] [--out ../../docs]
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { isMain, parseFlags, roleLog } from "@zmq-patterns/helpers";
import { version as libzmqVersion } from "zeromq";
import zeromqPackage from "zeromq/package.json" with { type: "json" };
import type { BenchmarkResult } from "./benchmark.ts";
import { benchmarks } from "./benchmarks/index.ts";
import { renderChart } from "./chart.ts";
import { displayUnit, formatValue } from "./format.ts";
import { packageDir } from "./processes.ts";
import { type Machine, renderReport } from "./report.ts";
import { runBenchmark } from "./runner.ts";

export const benchDefaults = {
  /** Runs per case: the median of 5 shrugs off one or two disturbed runs. */
  repeats: 5,
  /** Multiplies every message count; 0.1 for a quick look (figures get noisier). */
  scale: 1,
  /** Where the page and the chart go. */
  out: join(packageDir, "../../docs"),
};

const CHART_FILE = "performance.svg";

export async function runBench(options: typeof benchDefaults): Promise<BenchmarkResult[]> {
  const log = roleLog("bench");
  const started = Date.now();
  const machine: Machine = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    zeromq: zeromqPackage.version,
    libzmq: libzmqVersion,
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    cores: cpus().length,
    load: loadavg()[0] ?? 0,
    repeats: options.repeats,
  };
  const results: BenchmarkResult[] = [];
  for (const benchmark of benchmarks(options.scale)) {
    log.info(`${benchmark.title}: ${benchmark.cases.length} cases × ${options.repeats} runs`);
    const result = await runBenchmark(benchmark, {
      repeats: options.repeats,
      onRun: (_, label, values) => {
        const shown = Object.entries(values).map(([u, v]) => `${formatValue(v)} ${displayUnit(u)}`);
        log.info(`  ${label}: ${shown.join(", ")}`);
      },
    });
    results.push(result);
    log.info(`  -> ${benchmark.lesson(result.cases)}`);
  }
  const out = resolve(options.out);
  const seconds = Math.round((Date.now() - started) / 1000);
  const caption = `pnpm bench, ${machine.date}, Node ${machine.node}, ${machine.cores} × ${machine.cpu}, median of ${machine.repeats} runs (line: lowest to highest)`;
  writeFileSync(join(out, "performance.md"), renderReport(results, machine, CHART_FILE));
  writeFileSync(join(out, CHART_FILE), renderChart(results, caption));
  log.info(`wrote ${join(out, "performance.md")} and ${CHART_FILE} after ${seconds} s`);
  return results;
}

if (isMain(import.meta.url)) {
  await runBench(parseFlags(benchDefaults));
}
