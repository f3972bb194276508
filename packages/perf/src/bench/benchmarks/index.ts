// Every benchmark `pnpm bench` runs, in the order of the results page. To add one: write a module
// beside these that returns a Benchmark, and add it to this list.
import type { Benchmark } from "../benchmark.ts";
import { brokerOverhead, streamerThroughput } from "./brokers.ts";
import { encodings, highWaterMarks, sendStyles } from "./levers.ts";
import { messageSizes } from "./sizes.ts";
import { transportLatency, transportThroughput } from "./transports.ts";

/** `scale` multiplies every message count (1 for `pnpm bench`, less for a quick check). */
export const benchmarks = (scale: number): Benchmark[] => [
  messageSizes(scale),
  transportThroughput(scale),
  transportLatency(scale),
  sendStyles(scale),
  highWaterMarks(scale),
  encodings(scale),
  brokerOverhead(scale),
  streamerThroughput(scale),
];
