/**
 * A MarketSource over a MarketDay, whatever produced it (simulator or CSV): snapshots at any
 * minute of the session and the option chain at that minute.
 *
 * The snapshot at minute m (0 = 09:15, 375 = 15:30) uses the last bar completed by then: at
 * 09:15 nothing has completed, so it is the first bar's open; at 09:16 it is bar 0's close.
 */
import { MARKET_OPEN_MINUTE, SESSION_MINUTES } from '../calendar';
import { istParts, istTimestamp, parseTimeOfDay, timestampToEpochMs } from '../dates';
import { buildChain } from './chain';
import { simulateDay, type SimulateDayOptions } from './simulator';
import {
  DEFAULT_RATES,
  type ChainOptions,
  type MarketDay,
  type MarketRates,
  type MarketSnapshot,
  type MarketSource,
} from './types';

/** Minute index from a number, 'HH:MM' (IST) or an ISO timestamp on the day. */
export function resolveMinute(day: Pick<MarketDay, 'date'>, at: number | string): number {
  let minute: number;
  if (typeof at === 'number') minute = at;
  else if (/^\d{1,2}:\d{2}$/.test(at)) minute = parseTimeOfDay(at) - MARKET_OPEN_MINUTE;
  else {
    const p = istParts(timestampToEpochMs(at));
    if (p.date !== day.date) throw new RangeError(`${at} is not on ${day.date}`);
    minute = p.minuteOfDay - MARKET_OPEN_MINUTE;
  }
  if (!Number.isInteger(minute) || minute < 0 || minute > SESSION_MINUTES) {
    throw new RangeError(`time must be within market hours 09:15–15:30 IST (got ${String(at)})`);
  }
  return minute;
}

function barMinute(ts: string): number {
  return istParts(timestampToEpochMs(ts)).minuteOfDay - MARKET_OPEN_MINUTE;
}

export function snapshotAt(day: MarketDay, at: number | string, rates: MarketRates = DEFAULT_RATES): MarketSnapshot {
  if (day.bars.length === 0) throw new RangeError(`no bars for ${day.instrument} on ${day.date}`);
  const minute = resolveMinute(day, at);
  // Last bar whose minute has finished by `minute` (bars may have gaps in replayed data).
  let lo = 0;
  let hi = day.bars.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (barMinute(day.bars[mid]!.timestamp) + 1 <= minute) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const bar = day.bars[Math.max(found, 0)]!;
  return {
    instrument: day.instrument,
    date: day.date,
    timestamp: istTimestamp(day.date, MARKET_OPEN_MINUTE + minute),
    minute,
    spot: found < 0 ? bar.open : bar.close,
    regime: bar.regime,
    surface: { atmVol: bar.atmVol, skew: bar.skew, smile: bar.smile, termSlope: bar.termSlope },
    stress: bar.stress,
    rates,
  };
}

export function createSource(day: MarketDay, rates: MarketRates = DEFAULT_RATES): MarketSource {
  return {
    instrument: day.instrument,
    date: day.date,
    day,
    snapshotAt: (at) => snapshotAt(day, at, rates),
    chainAt: (at, options?: ChainOptions) => buildChain(snapshotAt(day, at, rates), options),
  };
}

export function simulatedSource(options: SimulateDayOptions, rates?: MarketRates): MarketSource {
  return createSource(simulateDay(options), rates);
}
