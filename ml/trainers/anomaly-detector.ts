/** Anomaly detector: weighted mean and covariance (ml-matrix inverse), threshold at a quantile. */
import { inverse, Matrix } from 'ml-matrix';
import type { Example } from '../data/rule1';
import { ANOMALY_FEATURES, mahalanobis, type AnomalyState } from '../models/anomaly';
import { jsonArtifact, type Trainer, type TrainedModel, type TrainOptions } from './trainer';

const TYPE_ID = 'anomaly_detector';
const featureSchema = { features: [...ANOMALY_FEATURES], output: 'mahalanobis_distance' };

export function fitAnomaly(data: readonly Example[], quantile: number): AnomalyState {
  const p = data[0]!.x.length;
  const wsum = data.reduce((s, e) => s + e.weight, 0);
  const mean = Array.from({ length: p }, (_, j) => data.reduce((s, e) => s + e.weight * e.x[j]!, 0) / wsum);
  const cov = Matrix.zeros(p, p);
  for (const e of data)
    for (let i = 0; i < p; i++)
      for (let j = 0; j < p; j++)
        cov.set(i, j, cov.get(i, j) + (e.weight * (e.x[i]! - mean[i]!) * (e.x[j]! - mean[j]!)) / wsum);
  for (let i = 0; i < p; i++) cov.set(i, i, cov.get(i, i) + 1e-9);
  const precision = inverse(cov).to2DArray();
  const partial: AnomalyState = { mean, precision, threshold: Infinity, quantile };
  const d = data.map((e) => mahalanobis(partial, e.x)).sort((a, b) => a - b);
  return { ...partial, threshold: d[Math.min(d.length - 1, Math.floor(quantile * d.length))]! };
}

/** Share of rows at or below the threshold (the contract's holdout metric). */
export const inlierRate = (s: AnomalyState, data: readonly Example[]) =>
  data.filter((e) => mahalanobis(s, e.x) <= s.threshold).length / data.length;

export const anomalyDetectorTrainer: Trainer = {
  typeId: TYPE_ID,
  framework: 'json',
  featureSchema,
  holdout: { fraction: 0.2, mode: 'tail' },
  async train(train, holdout, options: TrainOptions = {}): Promise<TrainedModel> {
    const quantile = options.hyperparameters?.quantile ?? 0.99;
    const state = fitAnomaly(train, quantile);
    return {
      framework: 'json',
      artifact: jsonArtifact(TYPE_ID, state),
      featureSchema,
      hyperparameters: { algorithm: 'mahalanobis_quantile', quantile },
      trainMetrics: { n_samples: train.length, inlier_rate: inlierRate(state, train), threshold: state.threshold },
      validationMetrics: { n_samples: holdout.length, holdout_inlier_rate: inlierRate(state, holdout) },
    };
  },
};
