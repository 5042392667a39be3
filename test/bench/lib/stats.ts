/**
 * Small statistics helpers for the benchmarks. Medians across runs are what docs/performance.md
 * reports, because one noisy run (another process on a 2-core box) must not move the figure.
 */

/**
 * The median of a non-empty list; the mean of the two middle values for an even count.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * A percentile by the nearest-rank method (p in 0–100), so p99 of 100 samples is the 99th value.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/**
 * The spread of a list as (max - min) / median, to show how stable the runs were.
 */
export function relativeSpread(values: readonly number[]): number {
  const m = median(values);
  return m === 0 ? 0 : (Math.max(...values) - Math.min(...values)) / m;
}

/**
 * Nanoseconds elapsed since a `process.hrtime.bigint()` reading, as a number.
 */
export function elapsedNs(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}
