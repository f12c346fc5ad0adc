/**
 * Momentum and mean reversion of the underlying: log returns over intraday and daily windows,
 * trend efficiency, and z-scores against a daily moving average and today's time-weighted
 * average price (the index has no traded volume, so its VWAP is a TWAP of minute closes).
 */
import { mean, sampleStd } from '../snapshot/series';
import { barCloses, dailyCloses, ratio } from './chain-reads';
import { defineFactor } from './define-factor';

/** ln(spot / the close `n` steps back in `closes`), null when there are fewer than n. */
function returnOver(spot: number, closes: readonly number[], n: number): number | null {
  return closes.length < n ? null : Math.log(spot / closes[closes.length - n]!);
}

function zScore(x: number, window: readonly number[]): number | null {
  const sd = sampleStd(window);
  return sd === 0 ? null : (x - mean(window)) / sd;
}

export const momIntraday = defineFactor({
  name: 'mom_intraday',
  family: 'momentum',
  description: "Today's return so far: ln(spot / session open). Zero at 09:15.",
  compute: (s) => Math.log(s.spot / s.sessionOpen),
  expectedDecay: 0.5,
});

export const mom30m = defineFactor({
  name: 'mom_30m',
  family: 'momentum',
  description: 'Last-30-minute return: ln(spot / the close 30 completed minutes earlier). Null before 31 bars.',
  compute: (s) => returnOver(s.spot, barCloses(s), 31),
  expectedDecay: 0.25,
});

export const mom5d = defineFactor({
  name: 'mom_5d',
  family: 'momentum',
  description: 'Five-day return: ln(spot / the close 5 trading days ago). Null with fewer than 5 daily bars.',
  compute: (s) => returnOver(s.spot, dailyCloses(s), 5),
  expectedDecay: 3,
});

export const mom20d = defineFactor({
  name: 'mom_20d',
  family: 'momentum',
  description: 'Twenty-day return: ln(spot / the close 20 trading days ago). Null with fewer than 20 daily bars.',
  compute: (s) => returnOver(s.spot, dailyCloses(s), 20),
  expectedDecay: 10,
});

export const trendEfficiency = defineFactor({
  name: 'trend_efficiency',
  family: 'momentum',
  description:
    "Kaufman efficiency of today's path: |spot − open| / Σ|minute close changes| (from the open), in [0, 1]; " +
    '1 = a straight trend, near 0 = chop. Null before 10 bars or on a flat path.',
  compute: (s) => {
    const closes = barCloses(s);
    if (closes.length < 10) return null;
    let path = 0;
    let prev = s.sessionOpen;
    for (const c of closes) {
      path += Math.abs(c - prev);
      prev = c;
    }
    return ratio(Math.abs(s.spot - s.sessionOpen), path);
  },
  expectedDecay: 0.5,
});

export const mrZSma20 = defineFactor({
  name: 'mr_z_sma20',
  family: 'mean_reversion',
  description:
    'Spot as a z-score against the last 20 daily closes: (spot − mean) / sample std. Null with fewer than 20 ' +
    'days or flat closes.',
  compute: (s) => {
    const closes = dailyCloses(s);
    return closes.length < 20 ? null : zScore(s.spot, closes.slice(closes.length - 20));
  },
  expectedDecay: 5,
});

export const mrZTwap = defineFactor({
  name: 'mr_z_twap',
  family: 'mean_reversion',
  description:
    "Spot as a z-score against today's completed minute closes (TWAP and their sample std). Null before 10 bars " +
    'or on flat closes.',
  compute: (s) => {
    const closes = barCloses(s);
    return closes.length < 10 ? null : zScore(s.spot, closes);
  },
  expectedDecay: 0.5,
});

export const MOMENTUM_FACTORS = [momIntraday, mom30m, mom5d, mom20d, trendEfficiency, mrZSma20, mrZTwap];
