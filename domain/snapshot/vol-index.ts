/**
 * A VIX-style volatility index: the 30-calendar-day ATM implied vol, from the chain.
 *
 * Like CBOE's VIX and India VIX, it interpolates total implied variance σ²T linearly in time
 * between the two listed expiries bracketing 30 days (near: the last with T ≤ 30d, next: the
 * first with T > 30d), then reads the vol back at 30 days:
 *
 *   σ30² = [ T₁σ₁²·(T₂ − T₃₀) + T₂σ₂²·(T₃₀ − T₁) ] / [ (T₂ − T₁)·T₃₀ ]
 *
 * where σᵢ is the expiry's ATM IV (atm-iv.ts) instead of VIX's strip of out-of-the-money
 * options (the chain's smile is symmetric enough that the ATM figure is the stable core).
 * Expiries under 3 calendar days are skipped (ATM IV there is mostly noise), as India VIX rolls
 * to the next month near expiry. With expiries on one side of 30 days only, the nearest one's
 * ATM IV stands in (flat extrapolation). Result is a decimal (0.14 = 14 index points).
 */
import type { OptionChain } from '../market';
import { atmIv } from './atm-iv';

export const VOL_INDEX_DAYS = 30;
export const VOL_INDEX_MIN_DAYS = 3;

export function volIndexFromChain(chain: Pick<OptionChain, 'expiries'>): number {
  const T30 = VOL_INDEX_DAYS / 365;
  const usable = chain.expiries.filter((e) => e.years * 365 >= VOL_INDEX_MIN_DAYS && e.quotes.length > 0);
  if (usable.length === 0) throw new RangeError('no expiry at least 3 days out to read a vol index from');
  const near = [...usable].reverse().find((e) => e.years <= T30);
  const next = usable.find((e) => e.years > T30);
  if (!near) return atmIv(next!);
  if (!next) return atmIv(near);
  const [T1, s1, T2, s2] = [near.years, atmIv(near), next.years, atmIv(next)];
  return Math.sqrt((T1 * s1 * s1 * (T2 - T30) + T2 * s2 * s2 * (T30 - T1)) / ((T2 - T1) * T30));
}
