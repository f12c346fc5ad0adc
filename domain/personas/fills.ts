/**
 * Fills against the simulated book, in integer paise. A marketable order takes the displayed
 * size at the touch, then walks deeper levels, each a tick-rounded half spread further and
 * half as large again as the first; what it pays or receives is exact (level price × units),
 * and its average price is that total over the units. Charges come from the real cost engine
 * (brokerage, STT, exchange, IPFT, SEBI, stamp, GST); its slippage line is an estimate for
 * decisions, and here the slippage is realised in the fill itself, so it is not added again.
 */
import { computeCostsDecimal, costsInPaise, type CostLeg } from '../costs';
import type { IsoDate } from '../dates';
import type { Instrument } from '../instruments';
import { paiseOf, paiseToRupees } from '../money';
import type { OptionQuote } from '../market/types';

export type Side = 'BUY' | 'SELL';

export interface LegFill {
  readonly kind: 'option' | 'future';
  readonly side: Side;
  /** Options only. */
  readonly type?: 'call' | 'put';
  readonly strike?: number;
  readonly expiry?: string;
  readonly lots: number;
  readonly quantity: number;
  /** Total paid (BUY) or received (SELL), paise. */
  readonly valuePaise: number;
  /** Average price per unit, rupees to the paisa (for costs and display). */
  readonly price: string;
  /** The book at the fill: touch mid, spread and displayed size on our side. */
  readonly mid: number;
  readonly spread: number;
  readonly shown: number;
  /** Units of the contract traded so far that day, and the market's stress (0 … 1). */
  readonly volume: number;
  readonly stress: number;
}

const TICK_PAISE = 5;
const toPaise = (x: number) => Math.round(x * 100);

/** Units walked through a book whose first level shows `shown` units: total in paise. */
export function walkBookPaise(
  touchPaise: number,
  stepPaise: number,
  shown: number,
  units: number,
  direction: 1 | -1,
): number {
  let left = units;
  let total = 0;
  for (let level = 0; left > 0; level++) {
    const depth = Math.max(1, Math.round(shown * (1 + 0.5 * level)));
    const take = Math.min(left, depth);
    total += take * Math.max(TICK_PAISE, touchPaise + direction * level * stepPaise);
    left -= take;
  }
  return total;
}

const averagePrice = (valuePaise: number, quantity: number) => paiseToRupees(Math.round(valuePaise / quantity));

/** A marketable order for one option; undefined when nobody bids for a sale. */
export function fillOption(
  q: OptionQuote,
  expiry: string,
  side: Side,
  lots: number,
  lotSize: number,
  stress: number,
): LegFill | undefined {
  const buy = side === 'BUY';
  if (!buy && q.bid <= 0) return undefined;
  const quantity = lots * lotSize;
  const spread = Number((q.ask - q.bid).toFixed(2));
  const step = Math.max(TICK_PAISE, Math.round(toPaise(spread) / 2 / TICK_PAISE) * TICK_PAISE);
  const shown = Math.max(lotSize, buy ? q.askQty : q.bidQty);
  const valuePaise = walkBookPaise(toPaise(buy ? q.ask : q.bid), step, shown, quantity, buy ? 1 : -1);
  return {
    kind: 'option',
    side,
    type: q.type,
    strike: q.strike,
    expiry,
    lots,
    quantity,
    valuePaise,
    price: averagePrice(valuePaise, quantity),
    mid: q.mid,
    spread,
    shown,
    volume: q.volume,
    stress,
  };
}

/** A futures order at the near forward, one tick either side (index futures are deep). */
export function fillFuture(forward: number, side: Side, lots: number, lotSize: number, stress: number): LegFill {
  const midPaise = Math.round(toPaise(forward) / TICK_PAISE) * TICK_PAISE;
  const pricePaise = midPaise + (side === 'BUY' ? TICK_PAISE : -TICK_PAISE);
  const quantity = lots * lotSize;
  return {
    kind: 'future',
    side,
    lots,
    quantity,
    valuePaise: pricePaise * quantity,
    price: paiseToRupees(pricePaise),
    mid: midPaise / 100,
    spread: (2 * TICK_PAISE) / 100,
    shown: quantity,
    volume: quantity,
    stress,
  };
}

/** Received minus paid over fills, paise. */
export function cashflowPaise(fills: readonly LegFill[]): number {
  let c = 0;
  for (const f of fills) c += f.side === 'SELL' ? f.valuePaise : -f.valuePaise;
  return c;
}

/** The cost engine's charges (no slippage line: see above) for a set of fills, paise. */
export function chargesPaise(fills: readonly LegFill[], instrument: Instrument, date: IsoDate): number {
  const legs: CostLeg[] = fills.map((f) => ({
    instrument,
    kind: f.kind,
    side: f.side,
    lots: f.lots,
    price: f.price,
    date,
    spread: f.spread.toFixed(2),
  }));
  const p = costsInPaise(legs);
  if (p) return p.charges;
  return paiseOf(computeCostsDecimal(legs).charges) ?? 0;
}
