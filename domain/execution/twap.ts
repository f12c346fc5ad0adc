/**
 * TWAP: a structure of N lots placed as n timed slices over a window. Slice k goes out at
 * start + ⌊k · window / n⌋ (the first at the start, each at the beginning of its equal share of
 * the window), with the lots split as evenly as whole lots allow. A slice is a whole structure
 * at fewer lots, so each leg keeps its per-lot ratio; and no slice may put a leg above the
 * exchange's freeze limit, so n is raised to the fewest slices that fit when asked for fewer.
 */
import type { IsoDate } from '../dates';
import { lotSize, type Instrument } from '../instruments';
import { maxLotsPerOrder, splitLots } from './slicing';

export interface TwapRequest {
  readonly instrument: Instrument;
  readonly date: IsoDate;
  /** Lots of the whole structure. */
  readonly lots: number;
  /** Units per leg for the whole structure (each a whole multiple of `lots` lots). */
  readonly legQuantities: readonly number[];
  /** Slices asked for. */
  readonly slices: number;
  /** Epoch ms of the first slice. */
  readonly startMs: number;
  /** From the first slice to the end of the last slice's share; 0 sends every slice at once. */
  readonly windowMs: number;
}

export interface TwapSlice {
  /** 0-based. */
  readonly index: number;
  /** Epoch ms the slice is due. */
  readonly atMs: number;
  /** Structure lots in this slice. */
  readonly lots: number;
  /** Units per leg for this slice, in the request's leg order. */
  readonly legQuantities: readonly number[];
}

export interface TwapSchedule {
  readonly requestedSlices: number;
  readonly slices: readonly TwapSlice[];
  /** Why the schedule has more slices than asked for, if it does. */
  readonly note: string | null;
}

/** The slice schedule; throws a RangeError naming the bad field. */
export function twapSchedule(r: TwapRequest): TwapSchedule {
  for (const [name, v] of [
    ['lots', r.lots],
    ['slices', r.slices],
  ] as const)
    if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive whole number`);
  if (!Number.isSafeInteger(r.windowMs) || r.windowMs < 0) throw new RangeError('windowMs must be ≥ 0 whole ms');
  if (!Number.isFinite(r.startMs)) throw new RangeError('startMs must be an epoch time in ms');
  if (r.slices > r.lots) throw new RangeError(`${r.lots} lots cannot make ${r.slices} slices of at least one lot`);
  if (r.legQuantities.length === 0) throw new RangeError('a structure needs at least one leg');
  const lot = lotSize(r.instrument, r.date);
  // Units per structure lot, per leg (a ratio leg carries more than one lot per structure lot).
  const perLot = r.legQuantities.map((q, i) => {
    if (!Number.isSafeInteger(q) || q <= 0 || q % (r.lots * lot) !== 0)
      throw new RangeError(
        `leg ${i}: quantity ${q} is not a whole number of lots per structure lot (${r.lots} × ${lot})`,
      );
    return q / r.lots;
  });
  // The widest leg decides how many structure lots fit one order.
  const maxUnits = maxLotsPerOrder(r.instrument, r.date) * lot;
  const widest = Math.max(...perLot);
  if (widest > maxUnits)
    throw new RangeError(`one structure lot already exceeds ${r.instrument}'s freeze limit on ${r.date}`);
  const maxLots = Math.floor(maxUnits / widest);
  const needed = Math.ceil(r.lots / maxLots);
  const n = Math.max(r.slices, needed);
  const note =
    n > r.slices ? `${r.slices} slices would exceed the freeze limit; ${n} slices of ≤ ${maxLots} lots` : null;
  const slices = splitLots(r.lots, maxLots, n).map((lots, index) => ({
    index,
    atMs: r.startMs + Math.floor((index * r.windowMs) / n),
    lots,
    legQuantities: perLot.map((q) => q * lots),
  }));
  return { requestedSlices: r.slices, slices, note };
}
