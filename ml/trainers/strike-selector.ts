/**
 * Strike selector: expected P&L (percent of spot) of selling a strangle at a candidate width
 * (put at −z, call at +z ATM standard deviations) now and buying it back near the close, from
 * the market features and the candidate. The selection is the argmax over candidates; the
 * contract reads the holdout rank correlation between predicted and realised P&L.
 */
import { spearman } from '../../domain/factors/evaluation/rank-correlation';
import { MARKET_FEATURES } from '../data/market-features';
import type { Example } from '../data/rule1';
import { FOREST_OUTPUT, forestToOnnx } from '../onnx/tree-ensemble';
import { predictForest, trainForest } from './forest';
import type { Trainer, TrainedModel, TrainOptions } from './trainer';

const TYPE_ID = 'strike_selector';
const featureSchema = {
  features: [...MARKET_FEATURES, 'days_to_expiry', 'width_z', 'premium_pct'],
  output: FOREST_OUTPUT,
};

export const STRIKE_DEFAULTS = { nEstimators: 24, maxDepth: 5, minNumSamples: 12, maxFeatures: 0.8, seed: 7 };

/** Rank IC of predictions against outcomes (0 when either side is constant or too short to rank). */
export const rankIc = (a: readonly number[], b: readonly number[]): number => spearman(a, b) ?? 0;

const rmse = (pred: readonly number[], data: readonly Example[]) =>
  Math.sqrt(data.reduce((s, e, i) => s + (pred[i]! - e.y) ** 2, 0) / data.length);

/** Real rows weigh more: the forest has no sample weights, so a row of weight w appears w times. */
export function replicateByWeight(data: readonly Example[]): Example[] {
  return data.flatMap((e) => Array.from({ length: Math.max(1, Math.round(e.weight)) }, () => e));
}

export const strikeSelectorTrainer: Trainer = {
  typeId: TYPE_ID,
  framework: 'onnx',
  featureSchema,
  holdout: { fraction: 0.2, mode: 'tail' },
  async train(train, holdout, options: TrainOptions = {}): Promise<TrainedModel> {
    const hp = { ...STRIKE_DEFAULTS, ...options.hyperparameters };
    const rows = replicateByWeight(train);
    const forest = await trainForest(
      rows.map((e) => e.x),
      rows.map((e) => e.y),
      hp,
      (done, total) => options.onProgress?.({ done, total, note: `trees ${done}/${total}` }),
    );
    const predTrain = train.map((e) => predictForest(forest, e.x));
    const predHold = holdout.map((e) => predictForest(forest, e.x));
    return {
      framework: 'onnx',
      artifact: forestToOnnx(forest, { typeId: TYPE_ID, features: featureSchema.features }),
      featureSchema,
      hyperparameters: { algorithm: 'random_forest_regression', ...hp },
      trainMetrics: {
        n_samples: train.length,
        rmse: rmse(predTrain, train),
        rank_ic: rankIc(
          predTrain,
          train.map((e) => e.y),
        ),
      },
      validationMetrics: {
        n_samples: holdout.length,
        holdout_rmse: rmse(predHold, holdout),
        holdout_rank_ic: rankIc(
          predHold,
          holdout.map((e) => e.y),
        ),
      },
    };
  },
};
