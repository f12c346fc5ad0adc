/** What several factors read from a snapshot's chain and series. */
import type { ChainExpiry, OptionQuote } from '../market';
import { VOL_INDEX_DAYS, VOL_INDEX_MIN_DAYS } from '../snapshot/vol-index';
import type { DecisionSnapshot } from '../snapshot/types';

/** The first listed expiry (today's on expiry day). */
export function frontExpiry(s: DecisionSnapshot): ChainExpiry | undefined {
  return s.chain.expiries[0];
}

/** The listed expiry nearest 30 days among those at least 3 days out (where skew is read). */
export function referenceExpiry(s: DecisionSnapshot): ChainExpiry | undefined {
  let best: ChainExpiry | undefined;
  for (const e of s.chain.expiries) {
    if (e.years * 365 < VOL_INDEX_MIN_DAYS) continue;
    if (!best || Math.abs(e.years * 365 - VOL_INDEX_DAYS) < Math.abs(best.years * 365 - VOL_INDEX_DAYS)) best = e;
  }
  return best;
}

/** The quote of a type whose |delta| is nearest `target` (the lower strike on a tie). */
export function quoteNearestDelta(e: ChainExpiry, type: 'call' | 'put', target: number): OptionQuote | undefined {
  let best: OptionQuote | undefined;
  for (const q of e.quotes) {
    if (q.type !== type) continue;
    if (!best || Math.abs(Math.abs(q.delta) - target) < Math.abs(Math.abs(best.delta) - target)) best = q;
  }
  return best;
}

export interface StrikeRow {
  readonly strike: number;
  readonly callOi: number;
  readonly putOi: number;
  readonly callVolume: number;
  readonly putVolume: number;
}

/** One row per strike, ascending. */
export function strikeRows(e: ChainExpiry): StrikeRow[] {
  const rows = new Map<number, StrikeRow>();
  for (const q of e.quotes) {
    const r = rows.get(q.strike) ?? { strike: q.strike, callOi: 0, putOi: 0, callVolume: 0, putVolume: 0 };
    rows.set(
      q.strike,
      q.type === 'call' ? { ...r, callOi: q.oi, callVolume: q.volume } : { ...r, putOi: q.oi, putVolume: q.volume },
    );
  }
  return [...rows.values()].sort((a, b) => a.strike - b.strike);
}

export function dailyCloses(s: DecisionSnapshot): number[] {
  return s.daily.map((d) => d.close);
}

export function barCloses(s: DecisionSnapshot): number[] {
  return s.bars.map((b) => b.close);
}

/** a / b, or null when b is zero. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}
