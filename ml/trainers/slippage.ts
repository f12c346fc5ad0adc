/**
 * Slippage coefficients by weighted least squares on simulated fills (ml-regression-
 * multivariate-linear): each row is scaled by √weight so real fills count more.
 */
import MLR from 'ml-regression-multivariate-linear';
import type { Example } from '../data/rule1';
import { SLIPPAGE_FEATURES, slippageShare, type SlippageState } from '../models/slippage';
import { jsonArtifact, weightedMean, type Trainer, type TrainedModel } from './trainer';

const TYPE_ID = 'slippage_coefficients';
const featureSchema = { features: [...SLIPPAGE_FEATURES], output: 'slippage_share_of_spread' };

export function fitSlippage(data: readonly Example[]): SlippageState {
  const X = data.map((e) => [1, ...e.x].map((v) => v * Math.sqrt(e.weight)));
  const Y = data.map((e) => [e.y * Math.sqrt(e.weight)]);
  const mlr = new MLR(X, Y, { intercept: false });
  const [a, b, c, d, e] = (mlr.weights as number[][]).map((w) => w[0]!);
  return { spreadShare: a!, perLot: b!, depth: c!, impact: d!, stressLoad: e! };
}

export function r2(state: SlippageState, data: readonly Example[]): number {
  const w = data.map((e) => e.weight);
  const mean = weightedMean(
    data.map((e) => e.y),
    w,
  );
  let ssr = 0;
  let sst = 0;
  data.forEach((e) => {
    ssr += e.weight * (e.y - slippageShare(state, e.x)) ** 2;
    sst += e.weight * (e.y - mean) ** 2;
  });
  return sst > 0 ? 1 - ssr / sst : 0;
}

export const slippageTrainer: Trainer = {
  typeId: TYPE_ID,
  framework: 'json',
  featureSchema,
  holdout: { fraction: 0.2, mode: 'tail' },
  async train(train, holdout): Promise<TrainedModel> {
    const state = fitSlippage(train);
    return {
      framework: 'json',
      artifact: jsonArtifact(TYPE_ID, state),
      featureSchema,
      hyperparameters: {
        algorithm: 'weighted_least_squares',
        form: 'share = a + b(lots-1) + c(units/displayed) + d*sqrt(volume share) + e*stress',
      },
      trainMetrics: { n_samples: train.length, r2: r2(state, train) },
      validationMetrics: { n_samples: holdout.length, holdout_r2: r2(state, holdout) },
    };
  },
};
