import { describe, expect, it } from "vitest";
import type { Benchmark, BenchmarkResult } from "./benchmark.ts";
import { escapeXml, renderChart } from "./chart.ts";
import { type Machine, renderReport, renderTable } from "./report.ts";
import { summarize } from "./stats.ts";

const benchmark: Benchmark = {
  id: "demo",
  title: "Sending <fast> & slow",
  setup: "Two cases.",
  metrics: [
    { unit: "msg/s", higherIsBetter: true },
    { unit: "us", higherIsBetter: false },
  ],
  cases: [],
  lesson: (results) => `Lesson over ${results.length} cases.`,
};
const result: BenchmarkResult = {
  benchmark,
  cases: [
    { label: "fast", metrics: { "msg/s": summarize([900, 1000, 1100]), us: summarize([1, 2, 3]) } },
    { label: "slow", metrics: { "msg/s": summarize([400, 500, 600]), us: summarize([4, 5, 6]) } },
  ],
};
const machine: Machine = {
  date: "2026-01-01",
  node: "v20.0.0",
  zeromq: "6.8.0",
  libzmq: "4.3.5",
  cpu: "Test CPU",
  cores: 2,
  load: 0.1,
  repeats: 3,
};

describe("the results table", () => {
  it("has a row per case with the median and the min–max of every metric, aligned", () => {
    expect(renderTable(result).split("\n")).toEqual([
      "| case | msg/s (median) | spread (min–max) | µs (median) | spread (min–max) |",
      "| ---- | -------------- | ---------------- | ----------- | ---------------- |",
      "| fast | 1,000          | 900 – 1,100      | 2           | 1 – 3            |",
      "| slow | 500            | 400 – 600        | 5           | 4 – 6            |",
    ]);
  });
});

describe("the results page", () => {
  it("says where the figures come from, shows the chart, each table and each lesson", () => {
    const page = renderReport([result], machine, "chart.svg");
    expect(page).toContain("Node v20.0.0, zeromq.js 6.8.0 (libzmq 4.3.5), on 2 × Test CPU");
    expect(page).toContain("median of 3 runs");
    expect(page).toContain("](chart.svg)");
    expect(page).toContain("](perf.md)");
    expect(page).toContain("## Sending <fast> & slow");
    expect(page).toContain("**What to do with it:** Lesson over 2 cases.");
    expect(page).not.toContain("busy machine");
  });

  it("warns when the machine was busy", () => {
    const page = renderReport([result], { ...machine, load: 3.5 }, "chart.svg");
    expect(page).toContain("**These figures come from a busy machine** (load 3.50 on 2 cores)");
  });
});

describe("the chart", () => {
  const svg = renderChart([result], "caption <1>");

  it("is one SVG document with a bar and a spread line per case", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg.match(/class="bar"/g)).toHaveLength(2);
    expect(svg.match(/class="spread"/g)).toHaveLength(2);
    expect(svg).toContain("<title>caption &lt;1&gt;</title>"); // what a screen reader says
  });

  it("draws bars in proportion to the medians, on the first metric", () => {
    const widths = [...svg.matchAll(/width="([\d.]+)" height="16" class="bar"/g)].map((m) =>
      Number(m[1]),
    );
    // 1000 and 500 msg/s on a scale up to the largest run (1100).
    expect(widths[0]! / widths[1]!).toBeCloseTo(2, 1);
    expect(svg).toContain("msg/s, higher is better");
  });

  it("escapes text, so labels cannot break the document", () => {
    expect(svg).toContain("Sending &lt;fast&gt; &amp; slow");
    expect(svg).toContain("caption &lt;1&gt;");
    expect(escapeXml(`a"b'c`)).toBe("a&quot;b&apos;c");
  });
});
