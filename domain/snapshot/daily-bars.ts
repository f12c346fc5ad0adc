/**
 * A previous trading day summarised for a snapshot: OHLC, realised variance from its minute
 * bars, and its closing vol index (from a thin chain at the close: only the ATM strikes matter).
 */
import { SESSION_MINUTES } from '../calendar';
import { buildChain, DEFAULT_RATES, snapshotAt, type MarketDay, type MarketRates } from '../market';
import { dayRealisedVariance } from './realised-vol';
import { snapshotExpiries } from './snapshot-calendar';
import type { DailyBar } from './types';
import { volIndexFromChain } from './vol-index';

export function summariseDay(day: MarketDay, rates: MarketRates = DEFAULT_RATES): DailyBar {
  if (day.bars.length === 0) throw new RangeError(`no bars for ${day.instrument} on ${day.date}`);
  const close = snapshotAt(day, SESSION_MINUTES, rates);
  const chain = buildChain(close, { expiries: snapshotExpiries(day.instrument, day.date), strikesEachSide: 2 });
  let high = -Infinity;
  let low = Infinity;
  for (const b of day.bars) {
    high = Math.max(high, b.high);
    low = Math.min(low, b.low);
  }
  const open = day.bars[0]!.open;
  return {
    date: day.date,
    open,
    high,
    low,
    close: day.bars[day.bars.length - 1]!.close,
    realisedVariance: dayRealisedVariance(
      open,
      day.bars.map((b) => b.close),
    ),
    volIndex: volIndexFromChain(chain),
  };
}
