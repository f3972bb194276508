// For tests: capture the labelled lines roles print, and wait for one. A role's log line is an
// event like any other; waiting for it is not a sleep.
import { vi } from "vitest";

export interface LogWatch {
  /** Every line printed with console.log since watchLog() was called. */
  lines: string[];
  /** Resolves with the first line matching `pattern` printed from now on. */
  next(pattern: RegExp): Promise<string>;
}

/** Spies on console.log (lines still print); vi.restoreAllMocks() ends the watch. */
export function watchLog(): LogWatch {
  const lines: string[] = [];
  const waiting: { pattern: RegExp; found: (line: string) => void }[] = [];
  const print = console.log.bind(console);
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    const line = args.map(String).join(" ");
    lines.push(line);
    print(...args);
    for (const waiter of [...waiting]) {
      if (!waiter.pattern.test(line)) continue;
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.found(line);
    }
  });
  return {
    lines,
    next: (pattern) => new Promise((found) => waiting.push({ pattern, found })),
  };
}
