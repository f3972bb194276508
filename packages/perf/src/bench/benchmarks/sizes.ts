// Message sizes from 1 B to 64 KiB over tcp, with local_thr and remote_thr as two processes.
import { type Benchmark, medianOf, times } from "../benchmark.ts";
import { formatValue } from "../format.ts";
import { ENDPOINT, figure, measurePair } from "../processes.ts";

export const formatBytes = (bytes: number): string =>
  bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`;

/** [message size, message count]: fewer of the big ones keeps each run well under a second. */
const SIZES: [number, number][] = [
  [1, 50_000],
  [64, 50_000],
  [1024, 50_000],
  [16 * 1024, 20_000],
  [64 * 1024, 10_000],
];

export function messageSizes(scale: number): Benchmark {
  return {
    id: "sizes",
    title: "Message size (tcp, local_thr + remote_thr)",
    setup:
      "libzmq's throughput test as two processes over tcp://127.0.0.1, from 1 B to 64 KiB per message; every send is awaited.",
    metrics: [
      { unit: "msg/s", higherIsBetter: true },
      { unit: "Mb/s", higherIsBetter: true },
    ],
    cases: SIZES.map(([size, count]) => {
      const args = [String(size), String(Math.max(1, Math.round(count * scale)))];
      return {
        label: formatBytes(size),
        measure: async () => {
          const figures = await measurePair(
            { script: "src/local_thr.ts", args: ["tcp://127.0.0.1:*", ...args] },
            { script: "src/remote_thr.ts", args: [ENDPOINT, ...args] },
          );
          return {
            "msg/s": figure(figures, "messagesPerSecond"),
            "Mb/s": figure(figures, "megabitsPerSecond"),
          };
        },
      };
    }),
    lesson: (results) => {
      const small = medianOf(results, "1 B");
      const big = medianOf(results, "64 KiB");
      const smallMegabits = medianOf(results, "1 B", "Mb/s");
      const bigMegabits = medianOf(results, "64 KiB", "Mb/s");
      return `From 1 B to 64 KiB the rate fell from ${formatValue(small)} to ${formatValue(big)} msg/s (${times(small, big)}) while the bytes moved grew from ${formatValue(smallMegabits)} to ${formatValue(bigMegabits)} Mb/s: every message has a fixed cost whatever its size, so when you have many small things to send, send fewer, larger messages.`;
    },
  };
}
