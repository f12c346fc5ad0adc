/** Small numeric helpers over plain arrays, shared by the snapshot builder, factors and their evaluation. */

export const TRADING_DAYS_PER_YEAR = 252;

/** ln(x[i] / x[i−1]) for i ≥ 1. */
export function logReturns(levels: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < levels.length; i++) out.push(Math.log(levels[i]! / levels[i - 1]!));
  return out;
}

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Unbiased sample variance (divides by n − 1). */
export function sampleVariance(xs: readonly number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s / (xs.length - 1);
}

export function sampleStd(xs: readonly number[]): number {
  return Math.sqrt(sampleVariance(xs));
}

/** The last `n` items, or null when there are fewer. */
export function lastN<T>(xs: readonly T[], n: number): T[] | null {
  return xs.length < n ? null : xs.slice(xs.length - n);
}
