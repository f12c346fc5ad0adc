/**
 * The calendar a decision sees: listed expiries, today's expiry kind, the trading days, holidays
 * and scheduled events up to the last listed expiry. Stored in the snapshot so that a decision
 * read back later sees the calendar it saw then, even after the holiday list is updated.
 */
import { daysToExpiry, expiryKind, listExpiries, tradingDaysBetween } from '../calendar';
import type { IsoDate } from '../dates';
import { NSE_HOLIDAYS } from '../holidays';
import type { Instrument } from '../instruments';
import { defaultExpiries } from '../market';
import type { MarketEvent, SnapshotCalendar } from './types';
import { VOL_INDEX_DAYS } from './vol-index';

/**
 * The expiries a snapshot lists: the instrument's usual chain (4 weeklies or 3 monthlies) plus
 * monthlies up to the first one more than 30 days out, so the near-month future is always
 * listed and the 30-day vol index has an expiry on each side.
 */
export function snapshotExpiries(instrument: Instrument, date: IsoDate): IsoDate[] {
  const out = new Set(defaultExpiries({ instrument, date }));
  for (const monthly of listExpiries(instrument, date, 4, 'monthly')) {
    out.add(monthly);
    if (daysToExpiry(date, monthly) > VOL_INDEX_DAYS) break;
  }
  return [...out].sort();
}

export function buildSnapshotCalendar(
  instrument: Instrument,
  date: IsoDate,
  expiries: readonly IsoDate[],
  events: readonly MarketEvent[],
): SnapshotCalendar {
  const last = expiries[expiries.length - 1] ?? date;
  const within = (d: IsoDate) => d >= date && d <= last;
  return {
    expiries: [...expiries],
    expiryToday: expiryKind(instrument, date),
    tradingDays: tradingDaysBetween(date, last),
    holidays: NSE_HOLIDAYS.filter((h) => within(h.date)),
    events: events
      .filter((e) => within(e.date))
      .map((e) => ({ date: e.date, name: e.name }))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
  };
}
