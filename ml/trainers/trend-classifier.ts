/** Trend classifier: P(index higher in 30 minutes) from the minute's market features. */
import { MARKET_FEATURES } from '../data/market-features';
import type { Example } from '../data/rule1';
import { logisticToOnnx } from '../onnx/logistic-graph';
import { LOGISTIC_OUTPUT } from '../onnx/logistic-graph';
import { fitLogistic, predictLogistic, type LogisticState } from './logistic';
import type { Trainer, TrainedModel, TrainOptions } from './trainer';

const TYPE_ID = 'trend_classifier';
const featureSchema = { features: [...MARKET_FEATURES], output: LOGISTIC_OUTPUT };

/** Weighted accuracy (P ≥ 0.5 read as "up"), log loss and base rate of probabilities against labels. */
export function classificationScores(probabilities: readonly number[], data: readonly Example[]) {
  let correct = 0;
  let w = 0;
  let logloss = 0;
  let ups = 0;
  data.forEach((e, i) => {
    const p = probabilities[i]!;
    if ((p >= 0.5 ? 1 : 0) === e.y) correct += e.weight;
    logloss -= e.weight * (e.y === 1 ? Math.log(Math.max(p, 1e-12)) : Math.log(Math.max(1 - p, 1e-12)));
    ups += e.weight * e.y;
    w += e.weight;
  });
  return { accuracy: correct / w, logloss: logloss / w, baseRate: ups / w };
}

const scores = (state: LogisticState, data: readonly Example[]) =>
  classificationScores(
    data.map((e) => predictLogistic(state, e.x)),
    data,
  );

export const trendClassifierTrainer: Trainer = {
  typeId: TYPE_ID,
  framework: 'onnx',
  featureSchema,
  holdout: { fraction: 0.2, mode: 'tail' },
  async train(train, holdout, options: TrainOptions = {}): Promise<TrainedModel> {
    const l2 = options.hyperparameters?.l2 ?? 1;
    options.onProgress?.({ done: 0, total: 1, note: 'fitting logistic regression (IRLS)' });
    const state = fitLogistic(
      train.map((e) => e.x),
      train.map((e) => e.y),
      train.map((e) => e.weight),
      { l2 },
    );
    options.onProgress?.({ done: 1, total: 1, note: 'exporting ONNX' });
    const tr = scores(state, train);
    const ho = scores(state, holdout);
    return {
      framework: 'onnx',
      artifact: logisticToOnnx(state, { typeId: TYPE_ID, features: featureSchema.features }),
      featureSchema,
      hyperparameters: { algorithm: 'logistic_regression_irls', l2 },
      trainMetrics: { n_samples: train.length, accuracy: tr.accuracy, logloss: tr.logloss },
      validationMetrics: {
        n_samples: holdout.length,
        holdout_accuracy: ho.accuracy,
        holdout_logloss: ho.logloss,
        holdout_base_rate: ho.baseRate,
      },
    };
  },
};

export { fitLogistic, predictLogistic };
