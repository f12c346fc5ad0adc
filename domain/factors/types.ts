/**
 * The factor contract (the seed's Layer 1): a named, documented function of a decision snapshot
 * with the decay its predictive power is expected to show.
 *
 * compute(snapshot) returns a finite number, or null when the snapshot lacks what the factor
 * needs (fewer bars or days than its window, no earlier snapshot, a zero denominator); each
 * factor's description says when. It never returns NaN or ±Infinity: a non-finite result
 * throws FactorInputError naming the factor (see define-factor.ts), and computeFactors checks
 * the whole snapshot for non-finite numbers first, naming the field.
 */
import type { DecisionSnapshot } from '../snapshot/types';

export const FACTOR_FAMILIES = [
  'volatility',
  'vrp',
  'iv_level',
  'term_structure',
  'skew',
  'oi_flow',
  'gamma',
  'momentum',
  'mean_reversion',
  'calendar',
] as const;
export type FactorFamily = (typeof FACTOR_FAMILIES)[number];

export interface Factor {
  /** Unique, snake_case, stable: stored with every decision's factor values. */
  readonly name: string;
  /** What it measures, its units, and when it is null. */
  readonly description: string;
  readonly family: FactorFamily;
  compute(snapshot: DecisionSnapshot): number | null;
  /**
   * Expected half-life of the factor's information coefficient, in trading days: the forward
   * horizon at which its IC is expected to have halved (IC(h) ≈ IC(1)·2^(−(h−1)/halfLife)).
   * A prior, checked against the measured decay (ic-decay.ts) by the weekly evaluation.
   */
  readonly expectedDecay: number;
}

export type FactorValues = Readonly<Record<string, number | null>>;

export class FactorInputError extends Error {
  constructor(
    /** The factor, or 'snapshot' when the snapshot itself holds a non-finite number. */
    readonly factor: string,
    readonly detail: string,
  ) {
    super(`${factor}: ${detail}`);
    this.name = 'FactorInputError';
  }
}
