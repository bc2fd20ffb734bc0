/**
 * Percentiles by nearest rank: the p-th percentile is the smallest value with
 * at least p% of the values at or below it, i.e. sorted[ceil(p/100 · n) − 1].
 */
import type { Percentiles } from './types.ts';

/** The percentiles every report shows. */
export const REPORTED_PERCENTILES = [50, 70, 85, 95] as const;

/**
 * Nearest-rank percentile of values already sorted ascending. Throws on an empty list.
 * @example
 * percentileOfSorted([1, 2, 3, 4, 5, 6, 7], 85); // 6  (rank ceil(5.95) = 6)
 * percentileOfSorted([1, 2, 3, 4, 5, 6, 7], 50); // 4
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('No values: a percentile needs at least one value.');
  if (!(p > 0 && p <= 100)) throw new RangeError(`Percentile ${p} is out of range: use a number above 0 and at most 100.`);
  const rank = Math.max(1, Math.ceil((p * n) / 100 - 1e-9));
  return sorted[Math.min(n, rank) - 1];
}

/**
 * The 50th, 70th, 85th and 95th percentiles (nearest rank), or null for no values.
 * @example
 * percentiles([3, 1, 2]); // { '50': 2, '70': 3, '85': 3, '95': 3 }
 * percentiles([]); // null
 */
export function percentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = new Float64Array(values).sort();
  return {
    '50': percentileOfSorted(sorted, 50),
    '70': percentileOfSorted(sorted, 70),
    '85': percentileOfSorted(sorted, 85),
    '95': percentileOfSorted(sorted, 95),
  };
}

/**
 * Median by nearest rank (the 50th percentile), 0 for no values.
 * @example
 * median([5, 1, 3, 2]); // 2
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  return percentileOfSorted(new Float64Array(values).sort(), 50);
}
