/**
 * A regression signal module: ridge on the module's features predicts the target in model space
 * (the log of a vol or range, or the quantity itself), split-conformal absolute residuals give
 * the interval, and the calibration residuals around the forecast give the predictive
 * distribution (its mean and quantiles). Log targets come back through exp, which keeps the
 * interval's coverage (a monotone map) and makes it asymmetric, as vol is.
 */
import type { FactorValues } from '../../factors/types';
import { calibrateRegression, predictiveQuantile, regressionInterval, type RegressionConformal } from '../conformal';
import {
  assertStateFor,
  fitAndCalibrationRows,
  PREDICTION_QUANTILES,
  signalState,
  type SignalModule,
  type SignalModuleName,
  type SignalState,
} from '../contract';
import type { FeatureSpec } from '../learners/features';
import { predictRidge, trainRidge, type RidgeState } from '../learners/ridge';
import type { SignalRow } from '../dataset';
import type { ForwardTargets } from '../targets';

export interface RegressionModuleSpec {
  readonly name: SignalModuleName;
  readonly description: string;
  /** What the outcome is, with its unit. */
  readonly target: string;
  readonly horizonMinutes: number;
  readonly features: readonly FeatureSpec[];
  /** The realised outcome (null when undefined). */
  readonly outcome: (targets: ForwardTargets, factors: FactorValues) => number | null;
  /** Model space: 'log' fits ln(outcome) (outcomes must be positive). */
  readonly space: 'identity' | 'log';
  /** The outcome's natural bounds; intervals and quantiles are clipped to them. */
  readonly bounds?: readonly [number, number];
}

export function defineRegressionModule(spec: RegressionModuleSpec): SignalModule {
  const toModel = (v: number) => (spec.space === 'log' ? (v > 0 ? Math.log(v) : null) : v);
  const fromModel = (v: number) => {
    const x = spec.space === 'log' ? Math.exp(v) : v;
    return spec.bounds ? Math.min(spec.bounds[1], Math.max(spec.bounds[0], x)) : x;
  };
  const labelled = (rows: readonly SignalRow[]) =>
    rows.flatMap((r) => {
      const o = spec.outcome(r.targets, r.factors);
      const y = o === null ? null : toModel(o);
      return y === null ? [] : [{ factors: r.factors, y }];
    });
  return {
    name: spec.name,
    description: spec.description,
    kind: 'regression',
    horizonMinutes: spec.horizonMinutes,
    features: spec.features,
    train(rows, params = {}) {
      const { fit, calibration } = fitAndCalibrationRows(spec.name, rows);
      const fitRows = labelled(fit);
      const calRows = labelled(calibration);
      const model = trainRidge(spec.features, fitRows, { lambda: params.lambda });
      const conformal = calibrateRegression(
        calRows.map((r) => ({ y: r.y, yhat: predictRidge(model, r.factors) })),
        params.alpha ?? 0.1,
      );
      return signalState(spec.name, spec.horizonMinutes, {
        model,
        conformal,
        baseline: fitRows.reduce((a, r) => a + r.y, 0) / fitRows.length,
        trainRows: fitRows.length,
        calibrationRows: calRows.length,
      });
    },
    predict(state: SignalState, factors) {
      assertStateFor(spec.name, state, 'regression');
      const conformal = state.conformal as RegressionConformal;
      const yhat = predictRidge(state.model as RidgeState, factors);
      const { lower, upper } = regressionInterval(conformal, yhat);
      const mean = conformal.residuals.reduce((a, r) => a + fromModel(yhat + r), 0) / conformal.n;
      return {
        module: spec.name,
        horizonMinutes: state.horizonMinutes,
        target: spec.target,
        distribution: {
          kind: 'quantiles',
          mean,
          quantiles: PREDICTION_QUANTILES.map((p) => ({ p, value: fromModel(predictiveQuantile(conformal, yhat, p)) })),
        },
        interval: { kind: 'range', lower: fromModel(lower), upper: fromModel(upper), coverage: 1 - conformal.alpha },
      };
    },
    outcome: spec.outcome,
    point(state, factors) {
      assertStateFor(spec.name, state, 'regression');
      return predictRidge(state.model as RidgeState, factors);
    },
    modelTarget(targets, factors) {
      const o = spec.outcome(targets, factors);
      return o === null ? null : toModel(o);
    },
  };
}
