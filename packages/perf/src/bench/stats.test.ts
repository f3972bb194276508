import { describe, expect, it } from "vitest";
import { quantile, relativeSpread, summarize } from "./stats.ts";

describe("statistics of repeated runs", () => {
  it("takes the middle run as the median of an odd number of runs, whatever the order", () => {
    expect(summarize([30, 10, 50, 20, 40])).toEqual({
      median: 30,
      min: 10,
      max: 50,
      q1: 20,
      q3: 40,
      runs: 5,
    });
  });

  it("averages the two middle runs of an even number of runs", () => {
    const summary = summarize([4, 1, 3, 2]);
    expect(summary.median).toBe(2.5);
    expect([summary.min, summary.max]).toEqual([1, 4]);
    expect([summary.q1, summary.q3]).toEqual([1.75, 3.25]);
  });

  it("is not moved by one disturbed run, unlike a mean", () => {
    expect(summarize([100, 101, 99, 100, 5]).median).toBe(100);
  });

  it("handles a single run", () => {
    expect(summarize([7])).toMatchObject({ median: 7, min: 7, max: 7, runs: 1 });
  });

  it("refuses no runs and runs that are not numbers", () => {
    expect(() => summarize([])).toThrow("no samples");
    expect(() => summarize([1, Number.NaN])).toThrow("not a number");
    expect(() => quantile([], 0.5)).toThrow("no samples");
  });

  it("gives the spread relative to the median", () => {
    expect(relativeSpread(summarize([90, 100, 110]))).toBeCloseTo(0.2);
  });
});
