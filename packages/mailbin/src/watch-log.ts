// For the tests only: roles running in process log with console.log; this records those lines
// (still printing them) and lets a test wait for one, instead of sleeping.
//
//   const log = watchLog();
//   const { index } = await log.waitFor(/stored post a-3 /);
//   await log.waitFor(/sent post/, { since: index + 1 }); // only lines after that one
import { vi } from "vitest";

export interface LogWatch {
  readonly lines: string[];
  /** The first line matching `pattern` at or after line `since`; fails after `timeoutMs`. */
  waitFor(
    pattern: RegExp,
    options?: { since?: number; timeoutMs?: number },
  ): Promise<{ match: RegExpMatchArray; index: number }>;
  /** Puts console.log back. */
  stop(): void;
}

export function watchLog(): LogWatch {
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  const print = console.log.bind(console);
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
    print(...args);
    for (const listener of [...listeners]) listener();
  });

  return {
    lines,
    waitFor: (pattern, { since = 0, timeoutMs = 15_000 } = {}) =>
      new Promise((resolve, reject) => {
        let checked = since;
        const check = () => {
          for (; checked < lines.length; checked++) {
            const match = lines[checked]!.match(pattern);
            if (!match) continue;
            listeners.delete(check);
            clearTimeout(timer);
            resolve({ match, index: checked });
            return;
          }
        };
        // A time-out only turns a missing line into a failure with a clear message; tests never
        // rely on it for timing.
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no log line matched ${pattern} within ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    stop: () => spy.mockRestore(),
  };
}
