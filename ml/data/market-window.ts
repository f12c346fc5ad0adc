/**
 * The simulated market history a data version stands for: every trading day up to the
 * version's end date, each day simulated from the platform seed and its date alone, so day d
 * is the same day in every data version that contains it.
 */
import { isTradingDay, previousTradingDay } from '../../domain/calendar';
import { isIsoDate, type IsoDate } from '../../domain/dates';
import type { Instrument } from '../../domain/instruments';
import { simulateDay, type MarketDay } from '../../domain/market';

export const PLATFORM_MARKET_SEED = 20_260_101;
export const TRAINING_INSTRUMENTS: readonly Instrument[] = ['NIFTY', 'BANKNIFTY'];

export function assertDataVersion(dataVersion: string): IsoDate {
  if (!isIsoDate(dataVersion))
    throw new RangeError(`data version must be a date YYYY-MM-DD (the training data's end), got "${dataVersion}"`);
  return dataVersion;
}

/** The last `count` trading days ending on or before `end`, oldest first. */
export function tradingWindow(end: IsoDate, count: number): IsoDate[] {
  const days: IsoDate[] = [];
  let d = isTradingDay(end) ? end : previousTradingDay(end);
  while (days.length < count) {
    days.push(d);
    d = previousTradingDay(d);
  }
  return days.reverse();
}

export function simulatedWindow(
  end: IsoDate,
  count: number,
  instruments: readonly Instrument[] = TRAINING_INSTRUMENTS,
): MarketDay[] {
  const out: MarketDay[] = [];
  for (const date of tradingWindow(end, count)) {
    for (const instrument of instruments) out.push(simulateDay({ instrument, date, seed: PLATFORM_MARKET_SEED }));
  }
  return out;
}
