/**
 * Wall 7: event and expiry-day rules. No new risk inside a blackout window (policy decisions,
 * budget, results), and no new short gamma in a contract expiring today after the cutoff
 * (13:30 IST by default): gamma near the close of expiry day can wipe out a month's premium.
 */
import { istParts, parseTimeOfDay, timestampToEpochMs, formatMinuteOfDay } from '../../dates';
import type { Wall } from '../types';

export const eventExpiryWall: Wall = ({ proposal, market, limits }) => {
  const now = timestampToEpochMs(market.timestamp);
  const window = limits.blackoutWindows.find(
    (w) => timestampToEpochMs(w.from) <= now && now < timestampToEpochMs(w.to),
  );
  const cutoff = parseTimeOfDay(limits.expiryShortGammaCutoff);
  const { minuteOfDay } = istParts(now);
  const expiringToday = proposal.legs.some((l) => l.expiry === market.date);
  const numbers = {
    time: formatMinuteOfDay(minuteOfDay),
    blackout: window ? window.reason : null,
    expiringToday,
    shortGamma: proposal.shortGamma,
    cutoff: limits.expiryShortGammaCutoff,
  };
  if (proposal.intent === 'close') return { wall: 'event-expiry', pass: true, reasonCode: null, numbers };
  let reasonCode: string | null = null;
  if (window) reasonCode = 'EVENT_BLACKOUT';
  else if (expiringToday && proposal.shortGamma && minuteOfDay >= cutoff) reasonCode = 'EXPIRY_DAY_SHORT_GAMMA';
  return { wall: 'event-expiry', pass: reasonCode === null, reasonCode, numbers };
};
