/**
 * The combiner as a model: its weights by regime (with the evidence behind them), the drift
 * references of every module feature, the drift bands and the gate thresholds, all plain JSON.
 * trainCombiner fits it next to the modules (weights from the held-out calibration window, drift
 * references from the training window); combineWithState runs the drift monitor on a window of
 * recent factor values and then the combiner.
 */
import type { FactorValues } from '../factors/types';
import type { SignalModule, SignalModuleName, SignalPrediction, SignalState } from '../signals/contract';
import type { SignalRow } from '../signals/dataset';
import { combineSignals, DEFAULT_GATE, type CombineInput, type CombinerResult, type GateThresholds } from './combine';
import {
  DEFAULT_DRIFT_BANDS,
  DEFAULT_MIN_DRIFT_WINDOW,
  driftFactors,
  driftReferences,
  moduleDrift,
  type DriftBand,
  type DriftReference,
  type ModuleDrift,
} from './drift';
import type { DriftWindow } from './drift-window';
import { fitRegimeWeights, type RegimeWeights, type WeightFit } from './weights';

export const COMBINER_STATE_VERSION = 1;

export interface CombinerState {
  readonly version: typeof COMBINER_STATE_VERSION;
  readonly weights: RegimeWeights;
  readonly evidence: WeightFit['evidence'];
  /** By factor name. */
  readonly driftReferences: Readonly<Record<string, DriftReference>>;
  readonly driftBands: readonly DriftBand[];
  readonly minDriftWindow: number;
  readonly gate: GateThresholds;
}

export function trainCombiner(
  modules: Readonly<Record<SignalModuleName, SignalModule>>,
  states: Readonly<Record<SignalModuleName, SignalState>>,
  rows: readonly SignalRow[],
  options: { readonly gate?: GateThresholds; readonly driftBands?: readonly DriftBand[] } = {},
): CombinerState {
  const fit = fitRegimeWeights(
    modules,
    states,
    rows.filter((r) => r.split === 'calibration'),
  );
  const factors = driftFactors(Object.values(modules).flatMap((m) => m.features));
  return {
    version: COMBINER_STATE_VERSION,
    weights: fit.weights,
    evidence: fit.evidence,
    driftReferences: driftReferences(
      factors,
      rows.filter((r) => r.split === 'train').map((r) => r.factors),
    ),
    driftBands: options.driftBands ?? DEFAULT_DRIFT_BANDS,
    minDriftWindow: DEFAULT_MIN_DRIFT_WINDOW,
    gate: options.gate ?? DEFAULT_GATE,
  };
}

export interface CombineWithStateInput {
  readonly regime: CombineInput['regime'];
  readonly predictions: readonly SignalPrediction[];
  readonly factors: FactorValues;
  /** Recent decisions' factor values: the drift monitor's current window. */
  readonly recent: DriftWindow;
}

export function combineWithState(
  state: CombinerState,
  modules: Readonly<Record<SignalModuleName, SignalModule>>,
  input: CombineWithStateInput,
): CombinerResult & { readonly drift: Readonly<Partial<Record<SignalModuleName, ModuleDrift>>> } {
  if (state.version !== COMBINER_STATE_VERSION) throw new RangeError(`unknown combiner version ${state.version}`);
  const drift: Partial<Record<SignalModuleName, ModuleDrift>> = {};
  const psiByFactor = new Map<string, number>();
  for (const p of input.predictions)
    drift[p.module] = moduleDrift(driftFactors(modules[p.module].features), state.driftReferences, input.recent, {
      bands: state.driftBands,
      minWindow: state.minDriftWindow,
      psiByFactor,
    });
  const result = combineSignals({
    weights: state.weights,
    regime: input.regime,
    predictions: input.predictions,
    factors: input.factors,
    drift,
    gate: state.gate,
  });
  return { ...result, drift };
}
