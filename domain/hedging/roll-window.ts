/**
 * When a tail hedge is due to roll: a put is inside the roll window when at most `windowDays`
 * trading days remain until its expiry (counting the expiry day, not today). The replacement
 * goes on the first listed expiry beyond the window, so it is not itself due at once.
 */
import { tradingDaysBetween } from '../calendar';
import { addDays, type IsoDate } from '../dates';
import type { ChainExpiry, OptionChain } from '../market/types';

/** Trading days after `date` up to and including `expiry` (0 on expiry day or after it). */
export function tradingDaysToExpiry(date: IsoDate, expiry: IsoDate): number {
  return expiry <= date ? 0 : tradingDaysBetween(addDays(date, 1), expiry).length;
}

/** Still alive on `date` and due for a roll within the window. */
export function insideRollWindow(date: IsoDate, expiry: IsoDate, windowDays: number): boolean {
  return expiry >= date && tradingDaysToExpiry(date, expiry) <= windowDays;
}

/** The first listed expiry more than `windowDays` trading days away. */
export function nextEligibleExpiry(chain: OptionChain, date: IsoDate, windowDays: number): ChainExpiry | undefined {
  return chain.expiries.find((e) => e.expiry > date && tradingDaysToExpiry(date, e.expiry) > windowDays);
}
