import { describe, expect, it } from "vitest";
import { sendStyles } from "./benchmarks/levers.ts";
import { transportLatency, transportThroughput } from "./benchmarks/transports.ts";

// The bench's plumbing end to end on tiny counts: real tool processes over tcp, ipc and inproc,
// their lines parsed back into figures. No speed is asserted, only that a figure comes back.
describe("bench cases run the real tools", () => {
  for (const benchmark of [transportThroughput(0.01), transportLatency(0.02), sendStyles(0.01)]) {
    it(`${benchmark.id}: every case yields its metric`, async () => {
      for (const entry of benchmark.cases) {
        const values = await entry.measure();
        const value = values[benchmark.metrics[0].unit];
        expect(value, entry.label).toBeGreaterThan(0);
        expect(Number.isFinite(value), entry.label).toBe(true);
      }
    });
  }
});
