/**
 * The eight option structures the platform may trade. The union is closed: strategy code picks
 * one of these kinds with its parameters and `buildStructure` is the only constructor, so no
 * agent can invent a ninth shape.
 */
import type { OrderSide } from '../orders/state-machine';
import type { IsoDate, IsoTimestamp } from '../dates';
import type { Instrument } from '../instruments';
import type { Rupees } from '../money';
import type { OptionType } from '../pricing/black76';

export const STRUCTURE_KINDS = [
  'BULL_PUT_SPREAD',
  'BEAR_CALL_SPREAD',
  'IRON_CONDOR',
  'IRON_BUTTERFLY',
  'LONG_STRADDLE',
  'LONG_STRANGLE',
  'CALENDAR_SPREAD',
  'PROTECTIVE_PUT',
] as const;
export type StructureKind = (typeof STRUCTURE_KINDS)[number];

/** Which expiry to use: an explicit date, or the first listed at least `minDaysToExpiry` away. */
interface ExpiryChoice {
  readonly expiry?: IsoDate;
  /** Calendar days; default 1 (no same-day expiry unless asked for). */
  readonly minDaysToExpiry?: number;
}

export type StructureParams =
  | ({ readonly kind: 'BULL_PUT_SPREAD'; readonly shortDelta?: number; readonly widthStrikes?: number } & ExpiryChoice)
  | ({ readonly kind: 'BEAR_CALL_SPREAD'; readonly shortDelta?: number; readonly widthStrikes?: number } & ExpiryChoice)
  | ({ readonly kind: 'IRON_CONDOR'; readonly shortDelta?: number; readonly widthStrikes?: number } & ExpiryChoice)
  | ({ readonly kind: 'IRON_BUTTERFLY'; readonly wingStrikes?: number } & ExpiryChoice)
  | ({ readonly kind: 'LONG_STRADDLE' } & ExpiryChoice)
  | ({ readonly kind: 'LONG_STRANGLE'; readonly delta?: number } & ExpiryChoice)
  | ({
      readonly kind: 'CALENDAR_SPREAD';
      readonly optionType?: OptionType;
      /** Far expiry; default the next listed after the near one. */
      readonly farExpiry?: IsoDate;
      /** Strikes away from the near forward's ATM strike (+ above, − below). */
      readonly strikeOffset?: number;
    } & ExpiryChoice)
  | ({ readonly kind: 'PROTECTIVE_PUT'; readonly delta?: number } & ExpiryChoice);

export interface StructureLeg {
  readonly side: OrderSide;
  readonly type: OptionType;
  readonly strike: number;
  readonly expiry: IsoDate;
  /** Units of this leg per unit of the structure (1 for all eight templates). */
  readonly ratio: number;
  readonly bid: number;
  readonly ask: number;
  readonly mid: number;
  readonly iv: number;
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
}

export interface Greeks {
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
}

export interface Structure {
  readonly kind: StructureKind;
  readonly instrument: Instrument;
  readonly date: IsoDate;
  readonly timestamp: IsoTimestamp;
  readonly lotSize: number;
  readonly legs: readonly StructureLeg[];
  /** Loses when implied volatility rises (net short vega). */
  readonly shortVolatility: boolean;
  /** Loses on large moves near expiry (net short gamma in its nearest expiry). */
  readonly shortGamma: boolean;
  /** Per unit at mids: positive = credit received, negative = debit paid. */
  readonly netPremium: Rupees;
  /** Per unit crossing the spread (sell at bid, buy at ask): what a marketable order gets. */
  readonly netPremiumNatural: Rupees;
  /** Per unit, at mids; always bounded for these templates. */
  readonly maxLossPerUnit: Rupees;
  /** Per unit; null when unbounded (long straddle / strangle). */
  readonly maxProfitPerUnit: Rupees | null;
  /** True when the max profit is a model estimate (calendar spread), not a payoff bound. */
  readonly maxProfitIsEstimate: boolean;
  /** Net greeks per unit of the structure (leg greeks × side). */
  readonly greeks: Greeks;
  /** Nearest expiry among the legs (expiry-day rules look at it). */
  readonly nearestExpiry: IsoDate;
}

export type BuildResult =
  | { readonly ok: true; readonly structure: Structure }
  | {
      readonly ok: false;
      readonly reason: 'NO_EXPIRY' | 'NO_STRIKE' | 'NO_CREDIT' | 'BAD_PARAMS';
      readonly detail: string;
    };
