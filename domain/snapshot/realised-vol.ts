/**
 * Realised volatility the snapshot carries as headline figures (factors add more estimators).
 * Annualised on 252 sessions of 375 minutes.
 */
import { SESSION_MINUTES } from '../calendar';
import { lastN, logReturns, sampleStd, TRADING_DAYS_PER_YEAR } from './series';

/** Minute log returns from the open: open → close₀, close₀ → close₁, … */
export function minuteReturns(open: number, closes: readonly number[]): number[] {
  return logReturns([open, ...closes]);
}

/** Σ r² of a day's minute returns: the day's realised variance; null without bars. */
export function dayRealisedVariance(open: number, closes: readonly number[]): number | null {
  if (closes.length === 0) return null;
  return minuteReturns(open, closes).reduce((s, r) => s + r * r, 0);
}

export const INTRADAY_MIN_RETURNS = 10;

/** √(mean r² · 375 · 252) over today's minute returns; null before 10 of them. */
export function intradayRealisedVol(open: number, closes: readonly number[]): number | null {
  if (closes.length < INTRADAY_MIN_RETURNS) return null;
  const rv = dayRealisedVariance(open, closes)!;
  return Math.sqrt((rv / closes.length) * SESSION_MINUTES * TRADING_DAYS_PER_YEAR);
}

/** Sample std of the last `window` daily log returns · √252; null with fewer than window + 1 closes. */
export function closeToCloseVol(closes: readonly number[], window: number): number | null {
  const tail = lastN(closes, window + 1);
  return tail ? sampleStd(logReturns(tail)) * Math.sqrt(TRADING_DAYS_PER_YEAR) : null;
}
