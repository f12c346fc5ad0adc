/**
 * A two-class signal module: logistic regression on the module's features gives the probability
 * of the second class, and split-conformal calibration on 1 − p̂(true class) gives the
 * prediction set (one class when the model is sure enough, both when it is not).
 */
import type { FactorValues } from '../../factors/types';
import { calibrateClassification, predictionSet, type ClassificationConformal } from '../conformal';
import {
  assertStateFor,
  fitAndCalibrationRows,
  signalState,
  type SignalModule,
  type SignalModuleName,
  type SignalState,
} from '../contract';
import type { FeatureSpec } from '../learners/features';
import { predictLogistic, trainLogistic, type LogisticState } from '../learners/logistic';
import type { SignalRow } from '../dataset';
import type { ForwardTargets } from '../targets';

export interface ClassificationModuleSpec {
  readonly name: SignalModuleName;
  readonly description: string;
  readonly target: string;
  readonly horizonMinutes: number;
  readonly features: readonly FeatureSpec[];
  /** [class 0, class 1] labels, e.g. ['down', 'up']. */
  readonly classes: readonly [string, string];
  /** 1 for the second class, 0 for the first, null when undefined (e.g. a zero return). */
  readonly label: (targets: ForwardTargets, factors: FactorValues) => 0 | 1 | null;
}

export function defineClassificationModule(spec: ClassificationModuleSpec): SignalModule {
  const [c0, c1] = spec.classes;
  const labelled = (rows: readonly SignalRow[]) =>
    rows.flatMap((r) => {
      const label = spec.label(r.targets, r.factors);
      return label === null ? [] : [{ factors: r.factors, label }];
    });
  const probabilities = (p: number): Record<string, number> => ({ [c0]: 1 - p, [c1]: p });
  return {
    name: spec.name,
    description: spec.description,
    kind: 'classification',
    horizonMinutes: spec.horizonMinutes,
    features: spec.features,
    train(rows, params = {}) {
      const { fit, calibration } = fitAndCalibrationRows(spec.name, rows);
      const fitRows = labelled(fit);
      const calRows = labelled(calibration);
      const model = trainLogistic(spec.features, fitRows, { lambda: params.lambda });
      const conformal = calibrateClassification(
        calRows.map((r) => ({
          label: r.label === 1 ? c1 : c0,
          probabilities: probabilities(predictLogistic(model, r.factors)),
        })),
        params.alpha ?? 0.1,
      );
      return signalState(spec.name, spec.horizonMinutes, {
        model,
        conformal,
        baseline: fitRows.reduce((a, r) => a + r.label, 0) / fitRows.length,
        trainRows: fitRows.length,
        calibrationRows: calRows.length,
      });
    },
    predict(state: SignalState, factors) {
      assertStateFor(spec.name, state, 'classification');
      const conformal = state.conformal as ClassificationConformal;
      const p = predictLogistic(state.model as LogisticState, factors);
      return {
        module: spec.name,
        horizonMinutes: state.horizonMinutes,
        target: spec.target,
        distribution: {
          kind: 'bins',
          bins: [
            { label: c0, p: 1 - p },
            { label: c1, p },
          ],
        },
        interval: { kind: 'set', labels: predictionSet(conformal, probabilities(p)), coverage: 1 - conformal.alpha },
      };
    },
    outcome(targets, factors) {
      const label = spec.label(targets, factors);
      return label === null ? null : label === 1 ? c1 : c0;
    },
    point(state, factors) {
      assertStateFor(spec.name, state, 'classification');
      return predictLogistic(state.model as LogisticState, factors);
    },
    modelTarget: (targets, factors) => spec.label(targets, factors),
  };
}
