/** Picking expiries and strikes from a chain: by date, by delta (on the chain's skewed IVs) or ATM. */
import { addDays, type IsoDate } from '../dates';
import type { OptionType } from '../pricing/black76';
import type { ChainExpiry, OptionChain, OptionQuote } from '../market/types';

export function chooseExpiry(
  chain: OptionChain,
  expiry: IsoDate | undefined,
  minDaysToExpiry = 1,
): ChainExpiry | undefined {
  if (expiry !== undefined) return chain.expiries.find((e) => e.expiry === expiry);
  const earliest = addDays(chain.date, minDaysToExpiry);
  return chain.expiries.find((e) => e.expiry >= earliest);
}

export function quoteAt(e: ChainExpiry, strike: number, type: OptionType): OptionQuote | undefined {
  return e.quotes.find((q) => q.strike === strike && q.type === type);
}

/**
 * The out-of-the-money quote whose |delta| is closest to the target (ties go to the further
 * strike, the more conservative choice for a short leg or a hedge).
 */
export function quoteByDelta(e: ChainExpiry, type: OptionType, targetDelta: number): OptionQuote | undefined {
  const target = Math.abs(targetDelta);
  let best: OptionQuote | undefined;
  for (const q of e.quotes) {
    if (q.type !== type) continue;
    const otm = type === 'put' ? q.strike <= e.forward : q.strike >= e.forward;
    if (!otm && target < 0.5) continue;
    if (!best) {
      best = q;
      continue;
    }
    const d = Math.abs(Math.abs(q.delta) - target);
    const bd = Math.abs(Math.abs(best.delta) - target);
    const further = type === 'put' ? q.strike < best.strike : q.strike > best.strike;
    if (d < bd - 1e-12 || (Math.abs(d - bd) <= 1e-12 && further)) best = q;
  }
  return best;
}

/** The listed strike nearest the expiry's forward. */
export function atmStrike(e: ChainExpiry): number {
  return e.atmStrike;
}
