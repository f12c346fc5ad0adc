/**
 * The market every persona of a run trades: one `simulateDays` run (so regimes, vol and the
 * index carry across days), looked at on the grid minutes only. Chains are built on demand and
 * memoised per day for the days most recently asked for, so twenty personas walking the same
 * days share the work; the tape is a local object, never module state.
 */
import { listExpiries } from '../calendar';
import type { IsoDate } from '../dates';
import type { Instrument } from '../instruments';
import { buildChain, snapshotAt, simulateDays, type MarketDay, type OptionChain } from '../market';
import type { GridMinute } from './types';

export interface TapeOptions {
  readonly instrument: Instrument;
  readonly fromDate: IsoDate;
  readonly days: number;
  readonly seed: number;
  /** Days whose chains stay memoised (default 8). */
  readonly keepDays?: number;
}

export interface MarketTape {
  readonly options: TapeOptions;
  readonly days: readonly MarketDay[];
  /** The chain at a grid minute of day `i` (its next three expiries). */
  chain(i: number, minute: GridMinute): OptionChain;
}

/** Expiries listed in a persona's chains: enough for a calendar spread off a same-day expiry. */
const EXPIRIES_LISTED = 3;

export function createMarketTape(options: TapeOptions): MarketTape {
  const days = simulateDays({
    instrument: options.instrument,
    fromDate: options.fromDate,
    days: options.days,
    seed: options.seed,
  });
  const keep = options.keepDays ?? 8;
  const memo = new Map<number, Map<GridMinute, OptionChain>>();
  return {
    options,
    days,
    chain(i, minute) {
      const day = days[i];
      if (!day) throw new RangeError(`day ${i} is outside the tape (0 … ${days.length - 1})`);
      let byMinute = memo.get(i);
      // Least recently used first: re-inserting moves a day to the back of the map's order.
      if (byMinute) memo.delete(i);
      else byMinute = new Map();
      memo.set(i, byMinute);
      if (memo.size > keep) memo.delete(memo.keys().next().value!);
      let chain = byMinute.get(minute);
      if (!chain) {
        const expiries = listExpiries(day.instrument, day.date, EXPIRIES_LISTED);
        chain = buildChain(snapshotAt(day, minute), { expiries });
        byMinute.set(minute, chain);
      }
      return chain;
    },
  };
}
