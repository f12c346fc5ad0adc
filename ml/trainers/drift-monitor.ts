/** Feature drift monitor: decile reference of each market feature; stability on held-out days. */
import { MARKET_FEATURES } from '../data/market-features';
import type { Example } from '../data/rule1';
import { binShares, driftReport, type DriftReport, type DriftState } from '../models/drift';
import { jsonArtifact, type Trainer, type TrainedModel, type TrainOptions } from './trainer';

const TYPE_ID = 'feature_drift_monitor';
const featureSchema = { features: [...MARKET_FEATURES], output: 'psi_by_feature' };

export function fitDrift(data: readonly Example[], bins: number, alertPsi: number): DriftState {
  const features = featureSchema.features.map((name, j) => {
    const values = data.map((e) => e.x[j]!).sort((a, b) => a - b);
    const edges = [
      ...new Set(Array.from({ length: bins - 1 }, (_, k) => values[Math.floor(((k + 1) * values.length) / bins)]!)),
    ];
    return { name, edges, expected: binShares(edges, values) };
  });
  return { features, alertPsi };
}

/** Stability: the share of features whose sample stays within the alert level. */
export const stabilityOf = (report: DriftReport): number => 1 - report.drifted.length / Object.keys(report.psi).length;

export const driftMonitorTrainer: Trainer = {
  typeId: TYPE_ID,
  framework: 'json',
  featureSchema,
  holdout: { fraction: 0.2, mode: 'interleave' },
  async train(train, holdout, options: TrainOptions = {}): Promise<TrainedModel> {
    const bins = options.hyperparameters?.bins ?? 10;
    const alertPsi = options.hyperparameters?.alert_psi ?? 0.25;
    const state = fitDrift(train, bins, alertPsi);
    const report = driftReport(
      state,
      holdout.map((e) => e.x),
    );
    const stability = stabilityOf(report);
    return {
      framework: 'json',
      artifact: jsonArtifact(TYPE_ID, state),
      featureSchema,
      hyperparameters: { algorithm: 'population_stability_index', bins, alert_psi: alertPsi },
      trainMetrics: { n_samples: train.length },
      validationMetrics: { n_samples: holdout.length, holdout_max_psi: report.maxPsi, holdout_stability: stability },
    };
  },
};
