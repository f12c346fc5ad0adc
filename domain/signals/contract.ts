/**
 * The signal-module contract (the seed's Layer 2). A module reads factor values by name, is
 * trained on a dataset's train rows and conformally calibrated on its calibration rows (a later,
 * held-out window), and predicts a distribution over what the next `horizonMinutes` bring, with
 * a split-conformal interval. States are plain JSON: the model registry stores them as artifacts.
 */
import type { FactorValues } from '../factors/types';
import { REGIMES, type Regime } from '../market/types';
import type { RegressionConformal } from './conformal';
import type { SignalRow } from './dataset';
import { MissingFactorError, type FeatureSpec } from './learners/features';
import type { RidgeState } from './learners/ridge';
import type { ForwardTargets } from './targets';

export const SIGNAL_MODULE_NAMES = [
  'direction',
  'realised_vol',
  'range',
  'trend_persistence',
  'skew',
  'oi_flow',
  'gamma_regime',
  'event_risk',
] as const;
export type SignalModuleName = (typeof SIGNAL_MODULE_NAMES)[number];

export const SIGNAL_STATE_VERSION = 1;

/**
 * Inputs a module may read besides the factor library: the regime detector's probabilities
 * (domain/regime adds them to the factor values before modules run). Momentum continues in
 * trending markets and reverts in calm ones, so the price-path modules interact their features
 * with these rather than fitting one sign for every regime.
 */
export const REGIME_PROBABILITY_FACTORS: Readonly<Record<Regime, string>> = {
  calm: 'regime_p_calm',
  trending: 'regime_p_trending',
  panic: 'regime_p_panic',
};

/** The most probable regime in a module's inputs: the conformal group its interval is calibrated in. */
export function regimeOf(factors: FactorValues): Regime {
  let best: Regime = REGIMES[0];
  let bestP = -Infinity;
  for (const r of REGIMES) {
    const p = factors[REGIME_PROBABILITY_FACTORS[r]];
    if (p === undefined || p === null) throw new MissingFactorError(REGIME_PROBABILITY_FACTORS[r]);
    if (p > bestP) [best, bestP] = [r, p];
  }
  return best;
}

/** Quantile levels every regression module reports. */
export const PREDICTION_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

export type SignalDistribution =
  /** Probabilities over outcome classes (sum 1). */
  | { readonly kind: 'bins'; readonly bins: readonly { readonly label: string; readonly p: number }[] }
  /** A quantity: the mean and quantiles of the conformal predictive distribution. */
  | {
      readonly kind: 'quantiles';
      readonly mean: number;
      readonly quantiles: readonly { readonly p: number; readonly value: number }[];
    };

export type SignalInterval =
  | { readonly kind: 'range'; readonly lower: number; readonly upper: number; readonly coverage: number }
  | { readonly kind: 'set'; readonly labels: readonly string[]; readonly coverage: number };

export interface SignalPrediction {
  readonly module: SignalModuleName;
  readonly horizonMinutes: number;
  /** What the distribution is over, with its unit. */
  readonly target: string;
  readonly distribution: SignalDistribution;
  readonly interval: SignalInterval;
}

export interface SignalState {
  readonly module: SignalModuleName;
  readonly version: typeof SIGNAL_STATE_VERSION;
  readonly horizonMinutes: number;
  readonly model: RidgeState;
  readonly conformal: RegressionConformal;
  /** The naive forecast a module must beat: the training mean of the outcome in model space. */
  readonly baseline: number;
  readonly trainRows: number;
  readonly calibrationRows: number;
}

export interface SignalTrainParams {
  /** Miscoverage of the conformal interval (default 0.1: a 90 % interval). */
  readonly alpha?: number;
  /** Ridge penalty per row on standardised coefficients (default 0.01). */
  readonly lambda?: number;
}

export interface SignalModule {
  readonly name: SignalModuleName;
  readonly description: string;
  readonly horizonMinutes: number;
  readonly features: readonly FeatureSpec[];
  /** Fits on the rows labelled train, calibrates on those labelled calibration; refuses test rows. */
  train(rows: readonly SignalRow[], params?: SignalTrainParams): SignalState;
  predict(state: SignalState, factors: FactorValues): SignalPrediction;
  /** The realised outcome the interval is about (null when undefined for that row). */
  outcome(targets: ForwardTargets, factors: FactorValues): number | string | null;
  /** The point forecast in model space, ŷ (e.g. of ln RV). */
  point(state: SignalState, factors: FactorValues): number;
  /** The realised outcome in the same space, null when undefined. */
  modelTarget(targets: ForwardTargets, factors: FactorValues): number | null;
}

/** Whether a realised outcome lies in a prediction's conformal interval. */
export function intervalCovers(interval: SignalInterval, outcome: number | string): boolean {
  return interval.kind === 'range'
    ? typeof outcome === 'number' && outcome >= interval.lower && outcome <= interval.upper
    : interval.labels.includes(String(outcome));
}

/** The fit and calibration rows of a dataset, refusing any test row (it would leak into the model). */
export function fitAndCalibrationRows(
  module: SignalModuleName,
  rows: readonly SignalRow[],
): { fit: SignalRow[]; calibration: SignalRow[] } {
  if (rows.some((r) => r.split === 'test')) throw new RangeError(`${module}: test rows must not reach train()`);
  const fit = rows.filter((r) => r.split === 'train');
  const calibration = rows.filter((r) => r.split === 'calibration');
  if (fit.length === 0 || calibration.length === 0)
    throw new RangeError(`${module}: needs train and calibration rows (got ${fit.length} and ${calibration.length})`);
  return { fit, calibration };
}

/** A trained state from its parts (every module kind fills the same fields). */
export function signalState(
  module: SignalModuleName,
  horizonMinutes: number,
  parts: Pick<SignalState, 'model' | 'conformal' | 'baseline' | 'trainRows' | 'calibrationRows'>,
): SignalState {
  return { module, version: SIGNAL_STATE_VERSION, horizonMinutes, ...parts };
}

/** The state belongs to this module, at this version, with a ridge model and residual calibration. */
export function assertStateFor(module: SignalModuleName, state: SignalState): void {
  if (state.module !== module) throw new RangeError(`state is for ${state.module}, not ${module}`);
  if (state.version !== SIGNAL_STATE_VERSION) throw new RangeError(`${module}: unknown state version ${state.version}`);
  if (state.model.kind !== 'ridge' || state.conformal.kind !== 'regression')
    throw new RangeError(`${module}: not a ridge state with residual calibration`);
}
