// For this package's tests: wait for what a role reports through a callback. No sleeps: the
// report itself resolves the wait. (For log lines, see watchLog in @zmq-patterns/helpers/testing.)

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
