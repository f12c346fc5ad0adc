/**
 * Volatility forecasting factors: realised-vol estimators on daily history and today's bars,
 * and one-step forecasts (EWMA, GARCH(1,1), HAR-RV). All annualised decimals (0.12 = 12 %),
 * on 252 sessions a year.
 */
import { closeToCloseVol } from '../snapshot/realised-vol';
import { lastN, logReturns, mean, TRADING_DAYS_PER_YEAR } from '../snapshot/series';
import type { DailyBar } from '../snapshot/types';
import { dailyCloses, ratio } from './chain-reads';
import { defineFactor } from './define-factor';

/** RiskMetrics (J.P. Morgan, 1996) daily decay. */
export const EWMA_LAMBDA = 0.94;
/** GARCH(1,1) shock and persistence weights, fixed (typical of equity-index fits; α + β = 0.98). */
export const GARCH_ALPHA = 0.08;
export const GARCH_BETA = 0.9;
/** HAR-RV weights on the daily, weekly (5-day) and monthly (22-day) realised variance; sum 1, no intercept. */
export const HAR_WEIGHTS = { daily: 0.4, weekly: 0.4, monthly: 0.2 } as const;
/** Daily returns the recursive estimators look back over at most. */
const RECURSIVE_WINDOW = 60;

const annualise = (dailyVariance: number) => Math.sqrt(dailyVariance * TRADING_DAYS_PER_YEAR);

/** EWMA variance one step ahead: σ₁² = r₁², σ²ₜ₊₁ = λσ²ₜ + (1 − λ)r²ₜ. */
export function ewmaVariance(returns: readonly number[], lambda = EWMA_LAMBDA): number {
  let v = returns[0]! * returns[0]!;
  for (const r of returns) v = lambda * v + (1 - lambda) * r * r;
  return v;
}

/**
 * GARCH(1,1) one step ahead with variance targeting: ω = (1 − α − β)·v̄ where v̄ = mean r²
 * over the window; σ₁² = v̄, σ²ₜ₊₁ = ω + αr²ₜ + βσ²ₜ.
 */
export function garchVariance(returns: readonly number[], alpha = GARCH_ALPHA, beta = GARCH_BETA): number {
  const vbar = mean(returns.map((r) => r * r));
  const omega = (1 - alpha - beta) * vbar;
  let v = vbar;
  for (const r of returns) v = omega + alpha * r * r + beta * v;
  return v;
}

/** Parkinson (1980): mean (ln H/L)² / (4 ln 2). */
export function parkinsonVariance(bars: readonly Pick<DailyBar, 'high' | 'low'>[]): number {
  return mean(bars.map((b) => Math.log(b.high / b.low) ** 2)) / (4 * Math.LN2);
}

/** Garman–Klass (1980): mean of ½(ln H/L)² − (2 ln 2 − 1)(ln C/O)². */
export function garmanKlassVariance(bars: readonly Pick<DailyBar, 'open' | 'high' | 'low' | 'close'>[]): number {
  return mean(
    bars.map((b) => 0.5 * Math.log(b.high / b.low) ** 2 - (2 * Math.LN2 - 1) * Math.log(b.close / b.open) ** 2),
  );
}

/** Corsi's (2009) HAR-RV with fixed weights: the next day's variance from the last 1, 5 and 22 days'. */
export function harVariance(dailyRv: readonly number[]): number {
  const last = (n: number) => mean(dailyRv.slice(dailyRv.length - n));
  return HAR_WEIGHTS.daily * last(1) + HAR_WEIGHTS.weekly * last(5) + HAR_WEIGHTS.monthly * last(22);
}

function recentReturns(closes: readonly number[], min: number): number[] | null {
  const r = logReturns(closes.slice(Math.max(0, closes.length - RECURSIVE_WINDOW - 1)));
  return r.length < min ? null : r;
}

const rvCloseToClose = (window: number) => (closes: readonly number[]) => closeToCloseVol(closes, window);

export const rvCc20d = defineFactor({
  name: 'rv_cc_20d',
  family: 'volatility',
  description:
    'Close-to-close realised vol: sample std of the last 20 daily log returns · √252. ' +
    'Null with fewer than 21 closes.',
  compute: (s) => rvCloseToClose(20)(dailyCloses(s)),
  expectedDecay: 10,
});

export const rvCc5d = defineFactor({
  name: 'rv_cc_5d',
  family: 'volatility',
  description:
    'Close-to-close realised vol over the last 5 daily log returns (sample std · √252). ' +
    'Null with fewer than 6 closes.',
  compute: (s) => rvCloseToClose(5)(dailyCloses(s)),
  expectedDecay: 4,
});

export const rvEwma = defineFactor({
  name: 'rv_ewma',
  family: 'volatility',
  description:
    'RiskMetrics EWMA (λ = 0.94) one-step vol forecast over the last ≤ 60 daily log returns, ' +
    'seeded with the first ' +
    'squared return, annualised. Null with fewer than 10 returns.',
  compute: (s) => {
    const r = recentReturns(dailyCloses(s), 10);
    return r && annualise(ewmaVariance(r));
  },
  expectedDecay: 8,
});

export const rvGarch = defineFactor({
  name: 'rv_garch11',
  family: 'volatility',
  description:
    'GARCH(1,1) one-step vol forecast, α = 0.08, β = 0.90, ω by variance targeting on the last ≤ 60 daily log ' +
    'returns (ω = 0.02 · mean r²), started at mean r², annualised. Null with fewer than 20 returns.',
  compute: (s) => {
    const r = recentReturns(dailyCloses(s), 20);
    return r && annualise(garchVariance(r));
  },
  expectedDecay: 10,
});

export const rvParkinson = defineFactor({
  name: 'rv_parkinson_20d',
  family: 'volatility',
  description: 'Parkinson range vol over the last 20 daily high/low bars, annualised. Null with fewer than 20 days.',
  compute: (s) => {
    const bars = lastN(s.daily, 20);
    return bars && annualise(parkinsonVariance(bars));
  },
  expectedDecay: 8,
});

export const rvGarmanKlass = defineFactor({
  name: 'rv_garman_klass_20d',
  family: 'volatility',
  description: 'Garman–Klass OHLC vol over the last 20 daily bars, annualised. Null with fewer than 20 days.',
  compute: (s) => {
    const bars = lastN(s.daily, 20);
    return bars && annualise(garmanKlassVariance(bars));
  },
  expectedDecay: 8,
});

export const rvHar = defineFactor({
  name: 'rv_har',
  family: 'volatility',
  description:
    "HAR-RV next-day vol forecast: 0.4·RV(1d) + 0.4·RV(5d mean) + 0.2·RV(22d mean) of each day's minute-bar " +
    'realised variance (weights fixed, sum 1; the signal modules refit them), annualised. ' +
    'Null unless the last 22 days all carry a realised variance.',
  compute: (s) => {
    const days = lastN(s.daily, 22);
    if (!days || days.some((d) => d.realisedVariance === null)) return null;
    return annualise(harVariance(days.map((d) => d.realisedVariance!)));
  },
  expectedDecay: 10,
});

export const rvIntraday = defineFactor({
  name: 'rv_intraday',
  family: 'volatility',
  description:
    "Today's realised vol from completed minute bars, √(mean r² · 375 · 252) " +
    "(the snapshot's realisedVol.intraday). " +
    'Null before 10 minutes have completed.',
  compute: (s) => s.realisedVol.intraday,
  expectedDecay: 3,
});

export const rvRatio5to20 = defineFactor({
  name: 'rv_ratio_5_20',
  family: 'volatility',
  description:
    'Volatility clustering: 5-day over 20-day close-to-close realised vol (> 1: vol rising). ' +
    'Null when either is null or the 20-day vol is zero.',
  compute: (s) => {
    const short = rvCloseToClose(5)(dailyCloses(s));
    const long = rvCloseToClose(20)(dailyCloses(s));
    return short === null || long === null ? null : ratio(short, long);
  },
  expectedDecay: 5,
});

export const VOLATILITY_FACTORS = [
  rvCc20d,
  rvCc5d,
  rvEwma,
  rvGarch,
  rvParkinson,
  rvGarmanKlass,
  rvHar,
  rvIntraday,
  rvRatio5to20,
];
