/**
 * How much more the open book can lose from its current marks: the worst case of the positions
 * together, as the daily loss budget must count it. A trade's own max loss is only half the
 * question: five spreads each sized to the day's whole headroom can lose five times the limit.
 *
 * The book is valued at its nearest expiry over a grid of settlement prices (every held strike,
 * the spot ±50 % in 1 % steps, near zero): legs of that expiry at intrinsic value, later legs at
 * Black-76 with the forward carried from the settlement and their current implied vol (the
 * calendar's far leg keeps its time value). Payoffs are piecewise linear between strikes, so the
 * grid finds the minimum of single-expiry books exactly; a book short more calls than it holds
 * loses without bound as the index rises (null). Closing also crosses half of each leg's spread.
 */
import { yearFraction } from '../calendar';
import type { IsoDate } from '../dates';
import type { OptionChain } from '../market/types';
import { dec, rupees, type Rupees } from '../money';
import { black76, type OptionType } from '../pricing/black76';
import { quoteAt } from '../strategies/select';

/** One position: signed units (+ long, − short) of a contract, at its average entry price. */
export interface OpenLeg {
  readonly type: OptionType;
  readonly strike: number;
  readonly expiry: IsoDate;
  readonly quantity: number;
  readonly averagePrice: string;
}

const intrinsic = (type: OptionType, settle: number, strike: number) =>
  Math.max(type === 'call' ? settle - strike : strike - settle, 0);

/** Rupees the book can still lose from its marks (≥ 0, includes the exit's half spreads); null: unbounded. */
export function openBookRisk(legs: readonly OpenLeg[], chain: OptionChain): Rupees | null {
  const held = legs.filter((l) => l.quantity !== 0);
  if (held.length === 0) return rupees(0);
  // Far above every strike each call is worth about (settle − strike): the book's slope there.
  if (held.filter((l) => l.type === 'call').reduce((s, l) => s + l.quantity, 0) < 0) return null;
  const near = held.reduce((m, l) => (l.expiry < m ? l.expiry : m), held[0]!.expiry);
  const atNear = `${near}T15:30:00+05:30`;
  let current = 0;
  let exitCost = 0;
  const priced = held.map((l) => {
    const e = chain.expiries.find((x) => x.expiry === l.expiry);
    const q = e ? quoteAt(e, l.strike, l.type) : undefined;
    current += (q ? q.mid : Number(l.averagePrice)) * l.quantity;
    if (q) exitCost += (Math.abs(l.quantity) * (q.ask - q.bid)) / 2;
    const vol = q?.iv ?? e?.atmVol ?? chain.expiries[0]?.atmVol ?? 0;
    return { ...l, vol, years: l.expiry === near ? 0 : yearFraction(atNear, l.expiry) };
  });
  // Past the highest strike a single-expiry book is linear with the slope checked above.
  const grid = new Set<number>([chain.spot * 0.01]);
  for (const l of held) grid.add(l.strike);
  for (let k = -50; k <= 50; k++) grid.add(chain.spot * (1 + k / 100));
  let worst = Infinity;
  for (const settle of grid) {
    let v = 0;
    for (const l of priced) {
      const unit =
        l.years === 0 || l.vol <= 0
          ? intrinsic(l.type, settle, l.strike)
          : black76({
              type: l.type,
              forward: settle * Math.exp((chain.rates.rate - chain.rates.dividendYield) * l.years),
              strike: l.strike,
              years: l.years,
              rate: chain.rates.rate,
              vol: l.vol,
            }).price;
      v += unit * l.quantity;
    }
    if (v < worst) worst = v;
  }
  return rupees(dec(Math.max(0, current - worst) + exitCost).toFixed(2));
}
