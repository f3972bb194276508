// Every benchmark `pnpm bench` runs, in the order of the results page. To add one (the broker
// overhead figures, when the broker package lands): write a module beside these that returns a
// Benchmark, and add it to this list.
import type { Benchmark } from "../benchmark.ts";
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
];

/** Figures the issue asks for that are not measured yet, listed on the results page. */
export const notYetMeasured = [
  "Broker overhead (request-reply round trips direct, through the broker package's broker and through the built-in proxy, with 1 and 4 workers; pipeline throughput through the streamer): coming with the broker package.",
];
