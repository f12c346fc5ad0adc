/**
 * The feature drift monitor: the population stability index (PSI) of each factor a module reads
 * between a reference window (the one the modules trained on) and a current window of recent
 * decisions, and the weight multiplier a module gets from its worst factor. PSI is taken on the
 * factors themselves, not on the modules' regime interactions (the regime weights already answer
 * for a change of regime), and bins are quantiles, so a monotone transform (log, |·|) changes
 * nothing.
 *
 * PSI = Σ (cᵢ − rᵢ)·ln(cᵢ / rᵢ) over the reference's decile bins plus a bin for missing values
 * (shares floored at 1e-4 so an empty bin is finite). The usual bands:
 *   PSI < 0.10          stable           × 1.0
 *   0.10 ≤ PSI < 0.25   moderate shift   × 0.5
 *   PSI ≥ 0.25          major shift      × 0.2
 * A major shift moves weight to the modules that did not drift and, through the combiner's
 * confidence, shrinks the view; it never zeroes a module, so a market that has left the training
 * range as a whole (every vol factor drifts together when vol is at a level the window rarely
 * saw) lowers confidence rather than silencing the view — abstaining is the consistency gate's
 * job. Slow factors (20-day vol) need a window longer than their memory: a fortnight of decisions
 * sits in one or two of their deciles whatever the model's health.
 */
import type { FactorValues } from '../factors/types';
import { REGIME_PROBABILITY_FACTORS } from '../signals/contract';
import type { FeatureSpec } from '../signals/learners/features';
import type { DriftWindow } from './drift-window';

export interface DriftReference {
  /** Inner bin edges, ascending (deciles of the reference; ties merged). */
  readonly edges: readonly number[];
  /** Reference share per bin (edges.length + 1 bins). */
  readonly shares: readonly number[];
  /** Reference share of missing values. */
  readonly missing: number;
  readonly n: number;
}

export interface DriftBand {
  readonly label: 'stable' | 'moderate' | 'major';
  /** Upper bound (exclusive) of the band's PSI; null for the last band. */
  readonly below: number | null;
  readonly multiplier: number;
}

export const DEFAULT_DRIFT_BANDS: readonly DriftBand[] = [
  { label: 'stable', below: 0.1, multiplier: 1 },
  { label: 'moderate', below: 0.25, multiplier: 0.5 },
  { label: 'major', below: null, multiplier: 0.2 },
];

/**
 * Fewer current values than this: no PSI, multiplier 1. With 10 bins a window of n draws from the
 * reference distribution itself shows PSI ≈ 9/n from sampling alone: 200 keeps that under 0.05.
 */
export const DEFAULT_MIN_DRIFT_WINDOW = 200;

const FLOOR = 1e-4;

export function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v < edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function shares(edges: readonly number[], values: readonly (number | null)[]): { shares: number[]; missing: number } {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let missing = 0;
  for (const v of values) {
    if (v === null) missing++;
    else counts[binOf(edges, v)]!++;
  }
  const n = values.length || 1;
  return { shares: counts.map((c) => c / n), missing: missing / n };
}

export function driftReference(values: readonly (number | null)[], bins = 10): DriftReference {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const edges: number[] = [];
  for (let k = 1; k < bins && known.length; k++) {
    const e = known[Math.min(known.length - 1, Math.floor((k * known.length) / bins))]!;
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
  }
  return { edges, ...shares(edges, values), n: values.length };
}

export function psi(reference: DriftReference, values: readonly (number | null)[]): number {
  return psiOfShares(reference, shares(reference.edges, values));
}

/** PSI of a current distribution given as shares in the reference's bins. */
export function psiOfShares(reference: DriftReference, cur: { shares: readonly number[]; missing: number }): number {
  const term = (c: number, r: number) => {
    const cc = Math.max(c, FLOOR);
    const rr = Math.max(r, FLOOR);
    return (cc - rr) * Math.log(cc / rr);
  };
  let total = term(cur.missing, reference.missing);
  reference.shares.forEach((r, i) => (total += term(cur.shares[i]!, r)));
  return total;
}

export function driftBand(value: number, bands: readonly DriftBand[] = DEFAULT_DRIFT_BANDS): DriftBand {
  return bands.find((b) => b.below === null || value < b.below) ?? bands[bands.length - 1]!;
}

const REGIME_INPUTS = new Set(Object.values(REGIME_PROBABILITY_FACTORS));

/** The factors a module's features read (regime probabilities excluded), each once. */
export function driftFactors(features: readonly FeatureSpec[]): string[] {
  const names = features.flatMap((f) => (f.times === undefined ? [f.factor] : [f.factor, f.times]));
  return [...new Set(names)].filter((n) => !REGIME_INPUTS.has(n));
}

const valueOf = (values: FactorValues, factor: string) => values[factor] ?? null;

/** A reference per factor from the training window's factor values. */
export function driftReferences(
  factors: readonly string[],
  window: readonly FactorValues[],
): Record<string, DriftReference> {
  const out: Record<string, DriftReference> = {};
  for (const f of factors) out[f] ??= driftReference(window.map((v) => valueOf(v, f)));
  return out;
}

export interface FactorDrift {
  readonly factor: string;
  readonly psi: number;
}

export interface ModuleDrift {
  /** Worst factor's PSI; null when the current window is too short or no factor has a reference. */
  readonly psi: number | null;
  readonly worstFactor: string | null;
  readonly band: DriftBand['label'] | 'insufficient';
  readonly multiplier: number;
  readonly factors: readonly FactorDrift[];
}

/** PSI of each of a module's factors over the current window, and the multiplier of the worst. */
export function moduleDrift(
  factors: readonly string[],
  references: Readonly<Record<string, DriftReference>>,
  window: DriftWindow,
  options: {
    readonly bands?: readonly DriftBand[];
    readonly minWindow?: number;
    /** PSI by factor over this same window, shared by the modules of one decision (they share factors). */
    readonly psiByFactor?: Map<string, number>;
  } = {},
): ModuleDrift {
  const none: ModuleDrift = { psi: null, worstFactor: null, band: 'insufficient', multiplier: 1, factors: [] };
  if (window.length < (options.minWindow ?? DEFAULT_MIN_DRIFT_WINDOW)) return none;
  const drifts: FactorDrift[] = [];
  for (const f of factors) {
    const ref = references[f];
    if (!ref) continue;
    let value = options.psiByFactor?.get(f);
    if (value === undefined) {
      value = psiOfShares(ref, window.shares(f, ref));
      options.psiByFactor?.set(f, value);
    }
    drifts.push({ factor: f, psi: value });
  }
  if (drifts.length === 0) return none;
  const worst = drifts.reduce((a, d) => (d.psi > a.psi ? d : a));
  const band = driftBand(worst.psi, options.bands);
  return { psi: worst.psi, worstFactor: worst.factor, band: band.label, multiplier: band.multiplier, factors: drifts };
}
