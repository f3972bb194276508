// For this package's tests: wait for a role's log line (roles in process log with console.log),
// the in-process twin of `runRoleProcess(...).waitForLine`. No sleeps: a line resolves the wait.
import { vi } from "vitest";

export interface LogWatch {
  /** Every line logged since the watch began. */
  readonly lines: string[];
  /** The first line from index `from` on that matches, once it is logged; and its index. */
  waitFor(pattern: RegExp, from?: number): Promise<{ match: RegExpMatchArray; index: number }>;
}

/** Starts recording console.log; undo with `vi.restoreAllMocks()` (afterEach). */
export function watchLog(): LogWatch {
  const lines: string[] = [];
  const waiting: { pattern: RegExp; from: number; found: (index: number) => void }[] = [];
  const print = console.log.bind(console);
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    print(...args); // still shown when a test fails
    lines.push(args.map(String).join(" "));
    for (const waiter of [...waiting]) {
      if (lines.length - 1 >= waiter.from && waiter.pattern.test(lines.at(-1)!)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.found(lines.length - 1);
      }
    }
  });
  return {
    lines,
    waitFor(pattern, from = 0) {
      return new Promise((resolve) => {
        const found = (index: number) => resolve({ match: lines[index]!.match(pattern)!, index });
        const index = lines.findIndex((line, i) => i >= from && pattern.test(line));
        if (index >= 0) found(index);
        else waiting.push({ pattern, from, found });
      });
    },
  };
}

export interface Events<T> {
  readonly items: T[];
  /** Pass this as the role's callback (e.g. the server's onRound). */
  push: (item: T) => void;
  /** The first item (already seen or still to come) that satisfies `predicate`. */
  waitFor(predicate: (item: T) => boolean): Promise<T>;
}

/** Records what a role reports through a callback, and lets a test wait for one report. */
export function events<T>(): Events<T> {
  const items: T[] = [];
  const waiting: { predicate: (item: T) => boolean; found: (item: T) => void }[] = [];
  return {
    items,
    push: (item) => {
      items.push(item);
      for (const waiter of [...waiting]) {
        if (waiter.predicate(item)) {
          waiting.splice(waiting.indexOf(waiter), 1);
          waiter.found(item);
        }
      }
    },
    waitFor: (predicate) =>
      new Promise((resolve) => {
        const seen = items.find(predicate);
        if (seen !== undefined) resolve(seen);
        else waiting.push({ predicate, found: resolve });
      }),
  };
}
