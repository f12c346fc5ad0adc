/**
 * Reading the chain: the at-the-money implied vol of one expiry, and expiry selection by time.
 */
import type { ChainExpiry, OptionChain } from '../market';

/**
 * ATM implied vol of an expiry: the mean of call and put IV at each strike, interpolated
 * linearly in strike to the forward (the nearest strike's when the forward is outside the
 * listed strikes). Throws when the expiry has no quotes.
 */
export function atmIv(expiry: Pick<ChainExpiry, 'forward' | 'quotes' | 'expiry'>): number {
  const byStrike = new Map<number, { sum: number; n: number }>();
  for (const q of expiry.quotes) {
    const e = byStrike.get(q.strike) ?? { sum: 0, n: 0 };
    byStrike.set(q.strike, { sum: e.sum + q.iv, n: e.n + 1 });
  }
  const strikes = [...byStrike.keys()].sort((a, b) => a - b);
  if (strikes.length === 0) throw new RangeError(`expiry ${expiry.expiry} has no quotes`);
  const ivAt = (k: number) => byStrike.get(k)!.sum / byStrike.get(k)!.n;
  const F = expiry.forward;
  if (F <= strikes[0]!) return ivAt(strikes[0]!);
  if (F >= strikes[strikes.length - 1]!) return ivAt(strikes[strikes.length - 1]!);
  let i = 1;
  while (strikes[i]! < F) i++;
  const lo = strikes[i - 1]!;
  const hi = strikes[i]!;
  const w = (F - lo) / (hi - lo);
  return ivAt(lo) * (1 - w) + ivAt(hi) * w;
}

/** The first listed expiry at least `minDays` calendar days away (fractional), if any. */
export function firstExpiryBeyond(chain: Pick<OptionChain, 'expiries'>, minDays: number): ChainExpiry | undefined {
  return chain.expiries.find((e) => e.years * 365 >= minDays);
}
