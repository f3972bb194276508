// The statistics behind every figure: each case runs several times; we report the median (the
// middle run, robust to one disturbed run) and the spread (the lowest and highest run).

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** First and third quartiles (linear interpolation between runs). */
  q1: number;
  q3: number;
  runs: number;
}

/** The value below which `fraction` of the sorted samples lie (linear interpolation). */
export function quantile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) throw new Error("no samples");
  const position = (sorted.length - 1) * fraction;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below]!;
  return low + (sorted[above]! - low) * (position - below);
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("no samples");
  if (samples.some((value) => !Number.isFinite(value))) {
    throw new Error(`not a number among the samples: ${samples.join(", ")}`);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    runs: sorted.length,
  };
}

/** The spread as a share of the median (0.1 = the runs span 10% of the median). */
export const relativeSpread = (summary: Summary): number =>
  summary.median === 0 ? 0 : (summary.max - summary.min) / summary.median;
