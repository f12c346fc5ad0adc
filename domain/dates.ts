/**
 * Calendar-date and IST-time arithmetic on ISO strings. Dates are 'YYYY-MM-DD' and are handled
 * as UTC midnights so no host time zone can shift them; times of day are Asia/Kolkata, a fixed
 * UTC+05:30 with no daylight saving, so an offset is all the time-zone logic needed.
 */

const DAY_MS = 86_400_000;
/** IST is UTC+05:30 all year. */
export const IST_OFFSET_MINUTES = 330;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type IsoDate = string;
/** An instant as ISO-8601 with an explicit offset, e.g. '2026-05-05T09:15:00+05:30'. */
export type IsoTimestamp = string;

/** Parse 'YYYY-MM-DD' strictly (rejects 2026-02-30) into a UTC-midnight epoch in ms. */
export function dateToEpochMs(date: IsoDate): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  if (new Date(ms).getUTCDate() !== d || mo < 1 || mo > 12) throw new RangeError(`no such date: ${date}`);
  return ms;
}

export function isIsoDate(value: string): boolean {
  try {
    dateToEpochMs(value);
    return true;
  } catch {
    return false;
  }
}

export function epochMsToDate(ms: number): IsoDate {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return epochMsToDate(dateToEpochMs(date) + days * DAY_MS);
}

/** Whole calendar days from a to b (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((dateToEpochMs(b) - dateToEpochMs(a)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return new Date(dateToEpochMs(date)).getUTCDay();
}

export function isWeekend(date: IsoDate): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** Last day of the month containing `date`. */
export function endOfMonth(date: IsoDate): IsoDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return epochMsToDate(Date.UTC(y, m, 0));
}

/** Last occurrence of `dow` (0–6) in the month containing `date`. */
export function lastWeekdayOfMonth(date: IsoDate, dow: number): IsoDate {
  const end = endOfMonth(date);
  return addDays(end, -((weekday(end) - dow + 7) % 7));
}

/** The epoch ms of a given IST wall-clock time (minutes since midnight) on a date. */
export function istEpochMs(date: IsoDate, minuteOfDay: number): number {
  return dateToEpochMs(date) + (minuteOfDay - IST_OFFSET_MINUTES) * 60_000;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** '09:15' from 555. */
export function formatMinuteOfDay(minuteOfDay: number): string {
  return `${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`;
}

/** Parse 'HH:MM' (24h) into minutes since midnight. */
export function parseTimeOfDay(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59)
    throw new RangeError(`not a time of day (HH:MM): ${JSON.stringify(hhmm)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The IST timestamp string for a date and minute of day, seconds optional. */
export function istTimestamp(date: IsoDate, minuteOfDay: number, seconds = 0): IsoTimestamp {
  return `${date}T${formatMinuteOfDay(minuteOfDay)}:${pad2(seconds)}+05:30`;
}

/** Epoch ms of any ISO-8601 timestamp that carries an offset or 'Z' (never host-local). */
export function timestampToEpochMs(ts: IsoTimestamp): number {
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(ts))
    throw new RangeError(`timestamp needs an explicit offset: ${JSON.stringify(ts)}`);
  const ms = new Date(ts).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO timestamp: ${JSON.stringify(ts)}`);
  return ms;
}

/** Render an instant in IST: '2026-05-05T10:00:00+05:30' (sub-second part kept when present). */
export function epochMsToIst(ms: number): IsoTimestamp {
  const shifted = new Date(ms + IST_OFFSET_MINUTES * 60_000).toISOString(); // wall clock as if UTC
  const frac = ms % 1000 === 0 ? '' : shifted.slice(19, 23);
  return `${shifted.slice(0, 19)}${frac}+05:30`;
}

/** The IST calendar date and minute of day of an instant. */
export function istParts(ms: number): { date: IsoDate; minuteOfDay: number; second: number } {
  const shifted = ms + IST_OFFSET_MINUTES * 60_000;
  const dayStart = Math.floor(shifted / DAY_MS) * DAY_MS;
  const within = shifted - dayStart;
  return {
    date: epochMsToDate(dayStart),
    minuteOfDay: Math.floor(within / 60_000),
    second: Math.floor((within % 60_000) / 1000),
  };
}
