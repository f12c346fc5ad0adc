/**
 * Time factors from the snapshot's own calendar (never today's holiday list, so a decision read
 * back later sees the same values): time to the front expiry, the non-trading days inside it
 * (theta collected while the market is shut), event proximity, time of session.
 */
import { SESSION_MINUTES } from '../calendar';
import { daysBetween, type IsoDate } from '../dates';
import type { DecisionSnapshot } from '../snapshot/types';
import { frontExpiry } from './chain-reads';
import { defineFactor } from './define-factor';

/** Trading days after today up to and including `date`. */
function tradingDaysUntil(s: DecisionSnapshot, date: IsoDate): number {
  return s.calendar.tradingDays.filter((d) => d > s.date && d <= date).length;
}

export const timeToExpiryDays = defineFactor({
  name: 'time_to_expiry_days',
  family: 'calendar',
  description:
    'Calendar days (fractional, to the 15:30 close) to the front expiry: its year fraction · 365. ' +
    'Null without an expiry.',
  compute: (s) => {
    const e = frontExpiry(s);
    return e ? e.years * 365 : null;
  },
  expectedDecay: 5,
});

export const tradingDaysToExpiry = defineFactor({
  name: 'trading_days_to_expiry',
  family: 'calendar',
  description: 'Trading sessions after today up to the front expiry (0 on expiry day). Null without an expiry.',
  compute: (s) => {
    const e = frontExpiry(s);
    return e ? tradingDaysUntil(s, e.expiry) : null;
  },
  expectedDecay: 5,
});

export const closureDaysToExpiry = defineFactor({
  name: 'closure_days_to_expiry',
  family: 'calendar',
  description:
    'Non-trading calendar days (weekends, holidays) before the front expiry: calendar days minus trading ' +
    'sessions to it. Null without an expiry.',
  compute: (s) => {
    const e = frontExpiry(s);
    return e ? daysBetween(s.date, e.expiry) - tradingDaysUntil(s, e.expiry) : null;
  },
  expectedDecay: 5,
});

export const eventProximity = defineFactor({
  name: 'event_proximity',
  family: 'calendar',
  description:
    'Nearness of the next scheduled event: 1 / (1 + trading sessions after today up to it); 1 on the day, ' +
    '0 when no event is listed up to the last expiry.',
  compute: (s) => {
    const next = s.calendar.events.find((e) => e.date >= s.date);
    return next ? 1 / (1 + tradingDaysUntil(s, next.date)) : 0;
  },
  expectedDecay: 2,
});

export const sessionElapsed = defineFactor({
  name: 'session_elapsed',
  family: 'calendar',
  description: 'Share of the session gone: minutes since 09:15 / 375, in [0, 1].',
  compute: (s) => s.minute / SESSION_MINUTES,
  expectedDecay: 0.5,
});

export const CALENDAR_FACTORS = [
  timeToExpiryDays,
  tradingDaysToExpiry,
  closureDaysToExpiry,
  eventProximity,
  sessionElapsed,
];
