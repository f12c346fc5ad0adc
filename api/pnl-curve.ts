/**
 * P&L curves in exact rupees. A day's realised curve from its fills (average-cost per symbol: a
 * fill that reduces a position realises (price − average) × quantity closed, signed by the side
 * held), and the drawdown of any curve (largest fall from a running peak, the start counting as
 * a peak at zero). The curve is realised only: marks of open positions live in the day's status.
 */
import { dec, rupees, type Decimal } from '../domain/money';

export interface CurveFill {
  filledAt: Date;
  tradingsymbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  price: string;
}

export interface CurvePoint {
  at: Date;
  pnl: string;
}

export function realisedCurve(fills: readonly CurveFill[]): CurvePoint[] {
  const held = new Map<string, { qty: number; avg: Decimal }>();
  let total = dec(0);
  const points: CurvePoint[] = [];
  for (const f of fills) {
    const signed = f.side === 'BUY' ? f.quantity : -f.quantity;
    const price = dec(f.price);
    const h = held.get(f.tradingsymbol) ?? { qty: 0, avg: dec(0) };
    if (h.qty === 0 || Math.sign(h.qty) === Math.sign(signed)) {
      // Opening or adding: a new average cost.
      const qty = h.qty + signed;
      h.avg = h.avg
        .times(Math.abs(h.qty))
        .plus(price.times(Math.abs(signed)))
        .div(Math.abs(qty));
      h.qty = qty;
    } else {
      const closed = Math.min(Math.abs(signed), Math.abs(h.qty));
      total = total.plus(price.minus(h.avg).times(closed).times(Math.sign(h.qty)));
      const rest = Math.abs(signed) - closed;
      h.qty += Math.sign(signed) * closed;
      // Flipped through zero: the remainder opens at this fill's price.
      if (rest > 0) {
        h.qty = Math.sign(signed) * rest;
        h.avg = price;
      }
    }
    held.set(f.tradingsymbol, h);
    points.push({ at: f.filledAt, pnl: rupees(total) });
  }
  return points;
}

/** The largest fall from a running peak (≥ 0), the start counting as a peak at zero. */
export function maxDrawdown(values: readonly string[]): string {
  let peak = dec(0);
  let worst = dec(0);
  for (const v of values.map(dec)) {
    if (v.greaterThan(peak)) peak = v;
    if (peak.minus(v).greaterThan(worst)) worst = peak.minus(v);
  }
  return rupees(worst);
}
