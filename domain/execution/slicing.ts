/**
 * Freeze-quantity slicing: a leg larger than the exchange's freeze limit becomes several child
 * orders, each within the limit and in whole lots. The split is as even as whole lots allow
 * (the larger slices first, differing by at most one lot) and uses the fewest children that fit,
 * so a leg of 3× the largest whole-lot order becomes exactly three equal children.
 */
import type { IsoDate } from '../dates';
import { lotSize, type Instrument } from '../instruments';
import { freezeLimit } from './freeze-limits';

export interface LegSlice {
  /** 0-based position among the leg's children (send order). */
  readonly index: number;
  readonly lots: number;
  /** Units: lots × lot size. */
  readonly quantity: number;
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new RangeError(`${name} must be a positive whole number, got ${String(value)}`);
}

/**
 * `totalLots` as evenly as possible into the fewest parts of at most `maxLots` each, larger
 * parts first. The building block of both freeze slicing and TWAP.
 */
export function splitLots(totalLots: number, maxLots: number, parts?: number): number[] {
  positiveInteger('totalLots', totalLots);
  positiveInteger('maxLots', maxLots);
  const minimum = Math.ceil(totalLots / maxLots);
  const n = parts ?? minimum;
  positiveInteger('parts', n);
  if (n < minimum) throw new RangeError(`${totalLots} lots need at least ${minimum} parts of ≤ ${maxLots} lots`);
  if (n > totalLots) throw new RangeError(`${totalLots} lots cannot make ${n} parts of at least one lot`);
  const base = Math.floor(totalLots / n);
  const extra = totalLots - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
}

/** The most whole lots one order may carry on `date` (the freeze limit rounded down to lots). */
export function maxLotsPerOrder(instrument: Instrument, date: IsoDate): number {
  const lots = Math.floor(freezeLimit(instrument, date) / lotSize(instrument, date));
  if (lots < 1) throw new RangeError(`${instrument}'s freeze limit on ${date} is below one lot`);
  return lots;
}

/**
 * A leg of `quantity` units as child orders within the freeze limit on `date`. Throws when the
 * quantity is not whole lots (the exchange would refuse it anyway). A leg within the limit is
 * one slice: itself.
 */
export function sliceLeg(instrument: Instrument, date: IsoDate, quantity: number): LegSlice[] {
  positiveInteger('quantity', quantity);
  const lot = lotSize(instrument, date);
  if (quantity % lot !== 0)
    throw new RangeError(`quantity ${quantity} is not whole lots of ${lot} (${instrument} on ${date})`);
  return splitLots(quantity / lot, maxLotsPerOrder(instrument, date)).map((lots, index) => ({
    index,
    lots,
    quantity: lots * lot,
  }));
}
