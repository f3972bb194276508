// For tests: capture the labelled lines roles print, and wait for one. A role's log line is an
// event like any other; waiting for it is not a sleep.
import { vi } from "vitest";

export interface LogWatch {
  /** Every line printed since watchLog() was called. */
  lines: string[];
  /** Resolves with the first line matching `pattern` printed from now on. */
  next(pattern: RegExp): Promise<string>;
}

/**
 * Spies on console.log, for roles in this thread, and on process.stdout.write, where Node copies
 * what worker threads print (vitest routes this thread's console elsewhere, so no line is seen
 * twice). Lines still print. vi.restoreAllMocks() ends the watch.
 */
export function watchLog(): LogWatch {
  const lines: string[] = [];
  const waiting: { pattern: RegExp; found: (line: string) => void }[] = [];
  const record = (line: string) => {
    lines.push(line);
    for (const waiter of [...waiting]) {
      if (!waiter.pattern.test(line)) continue;
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.found(line);
    }
  };
  const print = console.log.bind(console);
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    print(...args);
    record(args.map(String).join(" "));
  });
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split("\n")) if (line) record(line);
    return write(chunk);
  });
  return {
    lines,
    next: (pattern) => new Promise((found) => waiting.push({ pattern, found })),
  };
}
