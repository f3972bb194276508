// libzmq's perf tools print their results with these printf formats:
//   message size: %d [B]            message count: %d            roundtrip count: %d
//   mean throughput: %d [msg/s]     mean throughput: %.3f [Mb/s]  average latency: %.3f [us]
// Ours print the same lines from the same arithmetic, and `pnpm bench` parses them back.

/** Microseconds since `start` (from process.hrtime.bigint()), like zmq_stopwatch_stop. */
export function microsecondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1000;
}

export const sizeLine = (messageSize: number) => `message size: ${messageSize} [B]`;
export const countLine = (messageCount: number) => `message count: ${messageCount}`;
export const roundtripLine = (roundtripCount: number) => `roundtrip count: ${roundtripCount}`;

/**
 * libzmq's throughput lines. As in local_thr.cpp the clock starts at the first message, the
 * message rate is truncated to whole messages per second, and megabits come from that rate.
 */
export function throughputLines(
  messageSize: number,
  messageCount: number,
  elapsedUs: number,
): string[] {
  const throughput = Math.trunc((messageCount / Math.max(elapsedUs, 1)) * 1_000_000);
  const megabits = (throughput * messageSize * 8) / 1_000_000;
  return [
    `mean throughput: ${throughput} [msg/s]`,
    `mean throughput: ${megabits.toFixed(3)} [Mb/s]`,
  ];
}

/** libzmq's latency line: half the average round trip, in microseconds. */
export function latencyLine(roundtripCount: number, elapsedUs: number): string {
  return `average latency: ${(elapsedUs / (roundtripCount * 2)).toFixed(3)} [us]`;
}

/** The figures in a tool's output (ours or libzmq's), for the bench and the tests. */
export interface ToolFigures {
  messageSize?: number;
  messageCount?: number;
  roundtripCount?: number;
  messagesPerSecond?: number;
  megabitsPerSecond?: number;
  latencyUs?: number;
}

const PATTERNS: [keyof ToolFigures, RegExp][] = [
  ["messageSize", /^message size: (\d+) \[B\]$/],
  ["messageCount", /^message count: (\d+)$/],
  ["roundtripCount", /^roundtrip count: (\d+)$/],
  ["messagesPerSecond", /^mean throughput: (\d+) \[msg\/s\]$/],
  ["megabitsPerSecond", /^mean throughput: (\d+\.\d{3}) \[Mb\/s\]$/],
  ["latencyUs", /^average latency: (\d+\.\d{3}) \[us\]$/],
];

/** Reads libzmq-format lines; lines in any other format are ignored (a launcher's labels too). */
export function parseToolOutput(text: string): ToolFigures {
  const figures: ToolFigures = {};
  for (const rawLine of text.split("\n")) {
    const line = rawLine.replace(/^\[[\w-]+\] /, "").trim();
    for (const [key, pattern] of PATTERNS) {
      const match = pattern.exec(line);
      if (match) figures[key] = Number(match[1]);
    }
  }
  return figures;
}

/** True when `line` is exactly one of the lines libzmq's tools print. */
export const isToolLine = (line: string): boolean =>
  PATTERNS.some(([, pattern]) => pattern.test(line));
