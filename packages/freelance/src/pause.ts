// The clients' --pause-ms between requests, so that a run can outlast a fault injected by hand,
// by a test or by `start`.

/** Waits `ms`, or less if `signal` aborts first: a stop during a pause is no error. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
