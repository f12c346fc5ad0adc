/**
 * Market data shapes shared by the simulator, the CSV replay source, the chain builder and the
 * paper exchange. All plain JSON data so a day or a chain can be passed to and from Temporal
 * activities, stored, and compared byte for byte.
 *
 * Prices here are market observations, not ledger money: index levels carry 2 decimals and
 * option premiums sit on the 0.05 tick, so their decimal text is exact; anything that books
 * rupees (fills, costs, P&L) converts them to decimals.
 */
import type { IsoDate, IsoTimestamp } from '../dates';
import type { Instrument } from '../instruments';
import type { OptionType } from '../pricing/black76';
import type { SurfaceParams } from '../pricing/vol-surface';

export const REGIMES = ['calm', 'trending', 'panic'] as const;
export type Regime = (typeof REGIMES)[number];

/** One minute of the index: the bar starting at `timestamp` (09:15 … 15:29 IST). */
export interface MarketBar {
  readonly timestamp: IsoTimestamp;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Regime in force during the minute. */
  readonly regime: Regime;
  /** Implied-vol surface parameters at the bar's close. */
  readonly atmVol: number;
  readonly skew: number;
  readonly smile: number;
  readonly termSlope: number;
  /** 0 (orderly) … 1 (disorderly): widens spreads, thins the book. */
  readonly stress: number;
}

/** A trading day of minute bars, from the simulator or from a CSV file. */
export interface MarketDay {
  readonly instrument: Instrument;
  readonly date: IsoDate;
  readonly origin: 'simulator' | 'csv';
  /** The seed that produced a simulated day (null for replayed data). */
  readonly seed: number | null;
  readonly bars: readonly MarketBar[];
}

/** Rates used to turn the index into forwards and to discount. */
export interface MarketRates {
  /** Risk-free rate, continuously compounded. */
  readonly rate: number;
  /** Index dividend yield: forward = spot · e^((rate − dividendYield)·T). */
  readonly dividendYield: number;
}

export const DEFAULT_RATES: MarketRates = { rate: 0.065, dividendYield: 0.012 };

/** The market state at one instant. */
export interface MarketSnapshot {
  readonly instrument: Instrument;
  readonly date: IsoDate;
  readonly timestamp: IsoTimestamp;
  /** Minutes since 09:15 (0 … 375). */
  readonly minute: number;
  readonly spot: number;
  readonly regime: Regime;
  readonly surface: SurfaceParams;
  readonly stress: number;
  readonly rates: MarketRates;
}

export interface OptionQuote {
  readonly strike: number;
  readonly type: OptionType;
  /** 0 when nobody bids (premium below a tick). */
  readonly bid: number;
  readonly ask: number;
  /** Model value rounded to the tick. */
  readonly mid: number;
  /** Units displayed at the bid and at the ask. */
  readonly bidQty: number;
  readonly askQty: number;
  /** Implied volatility of the mid. */
  readonly iv: number;
  readonly delta: number;
  readonly gamma: number;
  /** Per 1.00 vol. */
  readonly vega: number;
  /** Per year. */
  readonly theta: number;
  /** Units traded today so far. */
  readonly volume: number;
  /** Open interest in units. */
  readonly oi: number;
}

export interface ChainExpiry {
  readonly expiry: IsoDate;
  readonly years: number;
  readonly forward: number;
  readonly atmStrike: number;
  readonly atmVol: number;
  /** Sorted by strike, call before put at each strike. */
  readonly quotes: readonly OptionQuote[];
}

export interface OptionChain {
  readonly instrument: Instrument;
  readonly date: IsoDate;
  readonly timestamp: IsoTimestamp;
  readonly spot: number;
  readonly regime: Regime;
  readonly stress: number;
  readonly rates: MarketRates;
  readonly lotSize: number;
  readonly strikeStep: number;
  readonly tickSize: number;
  readonly expiries: readonly ChainExpiry[];
}

/** What trading code reads, whatever the data came from. */
export interface MarketSource {
  readonly instrument: Instrument;
  readonly date: IsoDate;
  readonly day: MarketDay;
  /** Snapshot at a minute index (0 = 09:15 … 375 = 15:30), an 'HH:MM' IST time, or an ISO timestamp. */
  snapshotAt(at: number | string): MarketSnapshot;
  chainAt(at: number | string, options?: ChainOptions): OptionChain;
}

export interface ChainOptions {
  /** Expiries to list; default the next 4 (weekly) or 3 (monthly) from the date. */
  readonly expiries?: readonly IsoDate[];
  /** Fixed number of strikes each side of the money; default adapts to ±3.5 ATM deviations. */
  readonly strikesEachSide?: number;
  readonly rates?: MarketRates;
}

export function isRegime(value: unknown): value is Regime {
  return typeof value === 'string' && (REGIMES as readonly string[]).includes(value);
}
