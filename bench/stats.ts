/** Summary statistics of the benchmark's latency samples. */

export interface LatencySummary {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

/**
 * Nearest-rank percentile (the smallest sample with at least p % of the samples at or below it),
 * of samples sorted ascending. Nearest rank never invents a value between two samples, so a p99
 * is always a latency that some update really had.
 */
export function percentile(sortedAscending: ArrayLike<number>, p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const n = sortedAscending.length;
  if (n === 0) return null;
  const rank = Math.ceil((p / 100) * n);
  return sortedAscending[rank - 1]!;
}

export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length ? sorted[sorted.length - 1]! : null };
}
