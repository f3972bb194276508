import { describe, expect, it } from "vitest";
import { brokerOverhead, streamerThroughput } from "./benchmarks/brokers.ts";
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

// The broker figures on tiny counts: every role a real process (the broker package's broker,
// proxy, streamer and worker, our clients and lever fixtures); each run must yield its figure
// and every process must exit 0 when stopped. One test per case: each starts up to six processes.
describe("broker bench cases run the broker package's roles", () => {
  for (const benchmark of [brokerOverhead(0.002), streamerThroughput(0.005)]) {
    for (const entry of benchmark.cases) {
      it(`${benchmark.id}: ${entry.label} yields its metric`, async () => {
        const value = (await entry.measure())[benchmark.metrics[0].unit];
        expect(value).toBeGreaterThan(0);
        expect(Number.isFinite(value)).toBe(true);
      });
    }
  }
});
