/**
 * The day's market clock: decision ticks every `cadence` minutes of market time from the open,
 * the square-off at 15:15 IST. Live mode waits for each tick's IST instant with a workflow
 * timer; accelerated mode advances market time itself, tick by tick, without waiting. Pure.
 */
import { MARKET_OPEN_MINUTE } from '../calendar';
import { formatMinuteOfDay, istEpochMs, istTimestamp, type IsoDate } from '../dates';

/** 15:15 IST: intraday structures are squared off and no tick is taken at or after it. */
export const SQUARE_OFF_MINUTE = 15 * 60 + 15;
export const DEFAULT_CADENCE_MINUTES = 5;

/** The first tick: one cadence after the open (the open's own minute has no intraday history). */
export function firstTickMinute(cadence: number): number {
  return MARKET_OPEN_MINUTE + cadence;
}

/** The tick after `minute` at `cadence`, or null when it would fall at or after the square-off. */
export function nextTickMinute(minute: number, cadence: number): number | null {
  const next = minute + cadence;
  return next < SQUARE_OFF_MINUTE ? next : null;
}

/** Ticks a whole day takes at a cadence (the live day at 5 minutes: 71). */
export function ticksInDay(cadence: number): number {
  let n = 0;
  for (
    let m: number | null = firstTickMinute(cadence);
    m !== null && m < SQUARE_OFF_MINUTE;
    m = nextTickMinute(m, cadence)
  )
    n++;
  return n;
}

export const tickInstant = (date: IsoDate, minute: number): string => istTimestamp(date, minute);
export const tickEpochMs = (date: IsoDate, minute: number): number => istEpochMs(date, minute);

/** A decision's business key for a tick: unique per (tenant, date, minute). */
export function tickDecisionId(date: IsoDate, minute: number): string {
  return `day-${date}-${formatMinuteOfDay(minute).replace(':', '')}`;
}
