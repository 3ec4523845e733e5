/** Small descriptive statistics the HRV metrics share. Callers guarantee non-empty input. */

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Standard deviation with `ddof` delta degrees of freedom (1: sample, 0: population), as numpy's `std`. */
export function standardDeviation(values: readonly number[], ddof: 0 | 1): number {
  const m = mean(values);
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return Math.sqrt(squares / (values.length - ddof));
}

/** Quantile of already sorted values with linear interpolation between order statistics (numpy's and pandas' default). */
export function sortedQuantile(sorted: readonly number[], q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const lower = sorted[below] as number;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return lower + (upper - lower) * (position - below);
}

/**
 * Applies `reduce` to a centred window of `width` values around each index, truncated at the ends
 * (pandas `rolling(width, center=True, min_periods=1)`), passing the window sorted.
 */
export function centredRolling(values: readonly number[], width: number, reduce: (sortedWindow: number[]) => number): number[] {
  const half = Math.floor(width / 2);
  return values.map((_, i) => {
    const window = values.slice(Math.max(0, i - half), Math.min(values.length, i + width - half)).sort((a, b) => a - b);
    return reduce(window);
  });
}
