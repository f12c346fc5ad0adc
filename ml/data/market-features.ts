/**
 * Features of the index at the close of a minute bar, from that bar and earlier ones only (no
 * look-ahead). Returns are in percent so every feature is O(1).
 */
import type { MarketDay } from '../../domain/market';

export const MARKET_FEATURES = [
  'ret5',
  'ret15',
  'ret30',
  'rv30',
  'day_ret',
  'atm_vol',
  'skew',
  'stress',
  'minute_frac',
] as const;
export type MarketFeatureName = (typeof MARKET_FEATURES)[number];
export type MarketFeatures = Record<MarketFeatureName, number>;

/** Bars needed before a minute has all its features. */
export const WARMUP_BARS = 30;

const pct = (a: number, b: number) => 100 * Math.log(a / b);

export function marketFeaturesAt(day: MarketDay, i: number): MarketFeatures {
  if (i < WARMUP_BARS || i >= day.bars.length) throw new RangeError(`minute ${i} has no full feature window`);
  const bars = day.bars;
  const close = bars[i]!.close;
  let sq = 0;
  for (let k = i - 29; k <= i; k++) sq += pct(bars[k]!.close, bars[k - 1]!.close) ** 2;
  return {
    ret5: pct(close, bars[i - 5]!.close),
    ret15: pct(close, bars[i - 15]!.close),
    ret30: pct(close, bars[i - 30]!.close),
    rv30: Math.sqrt(sq),
    day_ret: pct(close, bars[0]!.open),
    atm_vol: bars[i]!.atmVol,
    skew: bars[i]!.skew,
    stress: bars[i]!.stress,
    minute_frac: (i + 1) / 375,
  };
}
