/**
 * Every signal module is built here: ridge on the module's features predicts the outcome in model
 * space (the log of a vol, range or move size, or the quantity itself); split-conformal absolute
 * residuals, calibrated per detected regime on the held-out window, give the interval; and the
 * calibration residuals around the forecast are the conformal predictive distribution. A module
 * reports that distribution as its mean and quantiles, or — when it declares outcome bins (up /
 * down, quiet / shock) — as the probability of each bin, read off the same distribution. Log
 * outcomes come back through exp, which keeps the interval's coverage (a monotone map) and makes
 * it asymmetric, as vol is.
 *
 * Probabilities come from the calibrated residuals rather than from a logistic fit so that every
 * module's interval is on a quantity and calibrated the same way: intervals on a quantity keep
 * their coverage when the mix of outcomes shifts (a week of selling, a run of shocks), which
 * class prediction sets on a rare class did not, out of sample.
 */
import type { FactorValues } from '../../factors/types';
import {
  calibrateRegression,
  predictiveExceedance,
  predictiveQuantile,
  predictiveResiduals,
  regressionInterval,
} from '../conformal';
import {
  assertStateFor,
  fitAndCalibrationRows,
  PREDICTION_QUANTILES,
  regimeOf,
  signalState,
  type SignalDistribution,
  type SignalModule,
  type SignalModuleName,
} from '../contract';
import type { SignalRow } from '../dataset';
import type { FeatureSpec } from '../learners/features';
import { predictRidge, trainRidge } from '../learners/ridge';
import type { ForwardTargets } from '../targets';

export interface ModuleSpec {
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
  /** Report P(outcome ≤ threshold) and P(outcome > threshold) as two labelled bins. */
  readonly bins?: { readonly labels: readonly [string, string]; readonly threshold: number };
}

export function defineModule(spec: ModuleSpec): SignalModule {
  const toModel = (v: number) => (spec.space === 'log' ? (v > 0 ? Math.log(v) : null) : v);
  const fromModel = (v: number) => {
    const x = spec.space === 'log' ? Math.exp(v) : v;
    return spec.bounds ? Math.min(spec.bounds[1], Math.max(spec.bounds[0], x)) : x;
  };
  const binThreshold = spec.bins ? toModel(spec.bins.threshold) : null;
  if (spec.bins && binThreshold === null) throw new RangeError(`${spec.name}: bin threshold outside the model space`);
  const labelled = (rows: readonly SignalRow[]) =>
    rows.flatMap((r) => {
      const o = spec.outcome(r.targets, r.factors);
      const y = o === null ? null : toModel(o);
      return y === null ? [] : [{ factors: r.factors, y }];
    });
  const point = (state: Parameters<SignalModule['point']>[0], factors: FactorValues) => {
    assertStateFor(spec.name, state);
    return predictRidge(state.model, factors);
  };
  return {
    name: spec.name,
    description: spec.description,
    horizonMinutes: spec.horizonMinutes,
    features: spec.features,
    train(rows, params = {}) {
      const { fit, calibration } = fitAndCalibrationRows(spec.name, rows);
      const fitRows = labelled(fit);
      const calRows = labelled(calibration);
      const model = trainRidge(spec.features, fitRows, { lambda: params.lambda });
      const conformal = calibrateRegression(
        calRows.map((r) => ({ y: r.y, yhat: predictRidge(model, r.factors), group: regimeOf(r.factors) })),
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
    predict(state, factors) {
      const yhat = point(state, factors);
      const c = state.conformal;
      const group = regimeOf(factors);
      const { lower, upper } = regressionInterval(c, yhat, group);
      let distribution: SignalDistribution;
      if (spec.bins && binThreshold !== null) {
        const above = predictiveExceedance(c, yhat, binThreshold, group);
        distribution = {
          kind: 'bins',
          bins: [
            { label: spec.bins.labels[0], p: 1 - above },
            { label: spec.bins.labels[1], p: above },
          ],
        };
      } else {
        const residuals = predictiveResiduals(c, group);
        distribution = {
          kind: 'quantiles',
          mean: residuals.reduce((a, r) => a + fromModel(yhat + r), 0) / residuals.length,
          quantiles: PREDICTION_QUANTILES.map((p) => ({ p, value: fromModel(predictiveQuantile(c, yhat, p, group)) })),
        };
      }
      return {
        module: spec.name,
        horizonMinutes: state.horizonMinutes,
        target: spec.target,
        distribution,
        interval: { kind: 'range', lower: fromModel(lower), upper: fromModel(upper), coverage: 1 - c.alpha },
      };
    },
    outcome: spec.outcome,
    point,
    modelTarget(targets, factors) {
      const o = spec.outcome(targets, factors);
      return o === null ? null : toModel(o);
    },
  };
}
