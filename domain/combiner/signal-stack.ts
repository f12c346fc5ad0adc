/**
 * Layers 2 and the combiner as one trainable, servable unit — what the weekly retrain fits and
 * what decide calls: the regime detector (fitted on the train window), the eight modules (fitted
 * on the train window, conformally calibrated on the held-out calibration window, both with the
 * detector's probabilities added) and the combiner (weights from the calibration window, drift
 * references from the train window). Every piece is plain JSON.
 */
import type { FactorValues } from '../factors/types';
import { detectRegime, trainRegimeDetector, type RegimeDetection, type RegimeDetectorState } from '../regime/detector';
import { addRegimeProbabilities, withRegimeProbabilities } from '../regime/regime-features';
import type { SignalModuleName, SignalPrediction, SignalState, SignalTrainParams } from '../signals/contract';
import type { SignalRow } from '../signals/dataset';
import { SIGNAL_MODULES, trainSignalModules } from '../signals/registry';
import type { CombinerResult } from './combine';
import { combineWithState, trainCombiner, type CombinerState } from './combiner-state';
import type { ModuleDrift } from './drift';
import { DriftWindow } from './drift-window';

export interface SignalStack {
  readonly detector: RegimeDetectorState;
  readonly signals: Readonly<Record<SignalModuleName, SignalState>>;
  readonly combiner: CombinerState;
}

export function trainSignalStack(rows: readonly SignalRow[], params: SignalTrainParams = {}): SignalStack {
  if (rows.some((r) => r.split === 'test')) throw new RangeError('test rows must not reach training');
  const detector = trainRegimeDetector(rows.filter((r) => r.split === 'train'));
  const withProbabilities = addRegimeProbabilities(rows, detector);
  const signals = trainSignalModules(withProbabilities, params);
  return { detector, signals, combiner: trainCombiner(SIGNAL_MODULES, signals, withProbabilities) };
}

export interface StackView {
  readonly detection: RegimeDetection;
  /** The factor values with the regime probabilities added (what the modules read; store them). */
  readonly inputs: FactorValues;
  readonly predictions: readonly SignalPrediction[];
  readonly result: CombinerResult;
  readonly drift: Readonly<Partial<Record<SignalModuleName, ModuleDrift>>>;
}

/**
 * One decision's view. `recent` is the drift monitor's window: recent decisions' factor values
 * (at least DEFAULT_MIN_DRIFT_WINDOW of them for drift to be judged).
 */
export function stackView(stack: SignalStack, factors: FactorValues, recent = new DriftWindow(0)): StackView {
  const detection = detectRegime(stack.detector, factors);
  const inputs = withRegimeProbabilities(factors, detection);
  const predictions = Object.values(SIGNAL_MODULES).map((m) => m.predict(stack.signals[m.name], inputs));
  const { drift, ...result } = combineWithState(stack.combiner, SIGNAL_MODULES, {
    regime: detection,
    predictions,
    factors: inputs,
    recent,
  });
  return { detection, inputs, predictions, result, drift };
}
