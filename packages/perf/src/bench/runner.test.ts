import { describe, expect, it } from "vitest";
import type { Benchmark } from "./benchmark.ts";
import { benchmarks } from "./benchmarks/index.ts";
import { runBenchmark } from "./runner.ts";
import { summarize } from "./stats.ts";

describe("the benchmark runner", () => {
  it("runs every case `repeats` times, taking turns, and summarizes each metric", async () => {
    const order: string[] = [];
    let tick = 0;
    const counting = (label: string) => ({
      label,
      measure: async () => {
        order.push(label);
        tick += 1;
        return { "msg/s": tick };
      },
    });
    const benchmark: Benchmark = {
      id: "fake",
      title: "fake",
      setup: "",
      metrics: [{ unit: "msg/s", higherIsBetter: true }],
      cases: [counting("a"), counting("b")],
      lesson: () => "",
    };
    const result = await runBenchmark(benchmark, { repeats: 3 });
    expect(order).toEqual(["a", "b", "a", "b", "a", "b"]);
    expect(result.cases.map((entry) => entry.label)).toEqual(["a", "b"]);
    expect(result.cases[0]!.metrics["msg/s"]).toEqual(summarize([1, 3, 5]));
    expect(result.cases[1]!.metrics["msg/s"]).toEqual(summarize([2, 4, 6]));
  });

  it("fails loudly when a case does not return one of the benchmark's metrics", async () => {
    const benchmark: Benchmark = {
      id: "broken",
      title: "broken",
      setup: "",
      metrics: [{ unit: "us", higherIsBetter: false }],
      cases: [{ label: "x", measure: async () => ({ "msg/s": 1 }) }],
      lesson: () => "",
    };
    await expect(runBenchmark(benchmark, { repeats: 1 })).rejects.toThrow("broken/x: no us");
  });
});

describe("the benchmarks of `pnpm bench`", () => {
  const all = benchmarks(1);

  it("have unique ids and unique case labels", () => {
    expect(new Set(all.map((benchmark) => benchmark.id)).size).toBe(all.length);
    for (const benchmark of all) {
      const labels = benchmark.cases.map((entry) => entry.label);
      expect(new Set(labels).size, benchmark.id).toBe(labels.length);
    }
  });

  it("can each state their lesson from results of their own cases", () => {
    for (const benchmark of all) {
      const results = benchmark.cases.map((entry, index) => ({
        label: entry.label,
        metrics: Object.fromEntries(
          benchmark.metrics.map((metric) => [metric.unit, summarize([index + 1, index + 2])]),
        ),
      }));
      const lesson = benchmark.lesson(results);
      expect(lesson.length, benchmark.id).toBeGreaterThan(40);
      expect(lesson, benchmark.id).not.toMatch(/NaN|undefined|Infinity/);
    }
  });
});
