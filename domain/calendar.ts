/**
 * The NSE trading calendar: trading days, expiries and market hours (09:15–15:30 IST).
 * Everything is a pure function of the date strings and the data in holidays.ts and
 * instruments.ts.
 */
import {
  addDays,
  dateToEpochMs,
  istEpochMs,
  istParts,
  istTimestamp,
  isWeekend,
  lastWeekdayOfMonth,
  timestampToEpochMs,
  weekday,
  type IsoDate,
  type IsoTimestamp,
} from './dates';
import { holidayOn } from './holidays';
import { instrumentSpec, type Instrument } from './instruments';

export const MARKET_OPEN_MINUTE = 9 * 60 + 15; // 09:15 IST
export const MARKET_CLOSE_MINUTE = 15 * 60 + 30; // 15:30 IST
/** One-minute steps in a session: 09:15 → 15:30. */
export const SESSION_MINUTES = MARKET_CLOSE_MINUTE - MARKET_OPEN_MINUTE; // 375
const YEAR_MS = 365 * 86_400_000;

export function isTradingDay(date: IsoDate): boolean {
  return !isWeekend(date) && holidayOn(date) === undefined;
}

/** The first trading day strictly after `date`. */
export function nextTradingDay(date: IsoDate): IsoDate {
  let d = addDays(date, 1);
  while (!isTradingDay(d)) d = addDays(d, 1);
  return d;
}

/** The last trading day strictly before `date`. */
export function previousTradingDay(date: IsoDate): IsoDate {
  let d = addDays(date, -1);
  while (!isTradingDay(d)) d = addDays(d, -1);
  return d;
}

/** `date` itself when it trades, else the trading day before it (how expiries shift). */
export function tradingDayOnOrBefore(date: IsoDate): IsoDate {
  return isTradingDay(date) ? date : previousTradingDay(date);
}

/** Trading days in [from, to] inclusive. */
export function tradingDaysBetween(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (isTradingDay(d)) out.push(d);
  return out;
}

/** Whether `date` is a nominal (pre-holiday-shift) expiry under the rules in force on it. */
function isNominalExpiry(instrument: Instrument, date: IsoDate, cadence: 'weekly' | 'monthly'): boolean {
  const spec = instrumentSpec(instrument, date);
  if (weekday(date) !== spec.expiryWeekday) return false;
  return cadence === 'weekly' || lastWeekdayOfMonth(date, spec.expiryWeekday) === date;
}

/**
 * The next `count` expiry dates on or after `fromDate`, each already moved to the previous
 * trading day when its nominal date is a holiday. The instrument's cadence decides weekly vs
 * monthly; pass `cadence: 'monthly'` to get only NIFTY's monthly contracts.
 */
export function listExpiries(
  instrument: Instrument,
  fromDate: IsoDate,
  count: number,
  cadence?: 'weekly' | 'monthly',
): IsoDate[] {
  const use = cadence ?? instrumentSpec(instrument, fromDate).expiryCadence;
  const out: IsoDate[] = [];
  // A holiday shift only moves an expiry earlier, so scanning nominal dates from fromDate finds all.
  for (
    let d = fromDate, guard = 0;
    out.length < count && guard < 400 * Math.max(1, count);
    d = addDays(d, 1), guard++
  ) {
    if (!isNominalExpiry(instrument, d, use)) continue;
    const actual = tradingDayOnOrBefore(d);
    if (actual >= fromDate && out[out.length - 1] !== actual) out.push(actual);
  }
  return out;
}

type ExpiryKind = 'weekly' | 'monthly' | null;
// Asked for every symbol formatted and every leg priced: remembered per (instrument, date), a
// pure answer (the calendar and the instrument specs are data compiled in).
const expiryKinds = new Map<string, ExpiryKind>();

/** 'monthly' when the date is the instrument's monthly expiry, 'weekly' for other expiries, else null. */
export function expiryKind(instrument: Instrument, date: IsoDate): ExpiryKind {
  const key = `${instrument}|${date}`;
  let kind = expiryKinds.get(key);
  if (kind === undefined) {
    kind = computeExpiryKind(instrument, date);
    if (expiryKinds.size >= 100_000) expiryKinds.clear();
    expiryKinds.set(key, kind);
  }
  return kind;
}

function computeExpiryKind(instrument: Instrument, date: IsoDate): ExpiryKind {
  if (listExpiries(instrument, date, 1, 'monthly')[0] === date) return 'monthly';
  const spec = instrumentSpec(instrument, date);
  if (spec.expiryCadence === 'weekly' && listExpiries(instrument, date, 1, 'weekly')[0] === date) return 'weekly';
  return null;
}

export function isExpiryDay(instrument: Instrument, date: IsoDate): boolean {
  return expiryKind(instrument, date) !== null;
}

/** Calendar days from `date` to `expiry` (0 on expiry day). */
export function daysToExpiry(date: IsoDate, expiry: IsoDate): number {
  return Math.round((dateToEpochMs(expiry) - dateToEpochMs(date)) / 86_400_000);
}

/** Expiry instant: the close (15:30 IST) of the expiry date. */
export function expiryEpochMs(expiry: IsoDate): number {
  return istEpochMs(expiry, MARKET_CLOSE_MINUTE);
}

/**
 * Time to expiry in years (ACT/365, to the 15:30 IST close of expiry day), floored at zero.
 * `at` is an ISO timestamp with offset, or a date (read as that day's open).
 */
export function yearFraction(at: IsoTimestamp | IsoDate, expiry: IsoDate): number {
  const now = at.length === 10 ? istEpochMs(at, MARKET_OPEN_MINUTE) : timestampToEpochMs(at);
  return Math.max(0, expiryEpochMs(expiry) - now) / YEAR_MS;
}

export function marketOpenAt(date: IsoDate): IsoTimestamp {
  return istTimestamp(date, MARKET_OPEN_MINUTE);
}

export function marketCloseAt(date: IsoDate): IsoTimestamp {
  return istTimestamp(date, MARKET_CLOSE_MINUTE);
}

/** True during continuous trading: a trading day, 09:15 ≤ t < 15:30 IST. */
export function isMarketOpen(at: IsoTimestamp | number): boolean {
  const ms = typeof at === 'number' ? at : timestampToEpochMs(at);
  const { date, minuteOfDay } = istParts(ms);
  return isTradingDay(date) && minuteOfDay >= MARKET_OPEN_MINUTE && minuteOfDay < MARKET_CLOSE_MINUTE;
}

/** Minutes since 09:15 IST on the instant's own date (negative before the open). */
export function minutesSinceOpen(at: IsoTimestamp | number): number {
  const ms = typeof at === 'number' ? at : timestampToEpochMs(at);
  const p = istParts(ms);
  return p.minuteOfDay - MARKET_OPEN_MINUTE + p.second / 60;
}
