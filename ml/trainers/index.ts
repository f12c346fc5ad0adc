/** Trainer per model type, and the one path from raw rows to a trained model (Rule 1 inside). */
import { rawTrainingRows, WINDOW_DAYS } from '../data/datasets';
import { toExamples, summarise, type RawRow } from '../data/rule1';
import { splitHoldout } from '../data/split';
import type { ModelTypeId } from '../model-types';
import type { ModelMetadata } from '../types';
import { anomalyDetectorTrainer } from './anomaly-detector';
import { driftMonitorTrainer } from './drift-monitor';
import { signalStackTrainer } from './signal-stack';
import { slippageTrainer } from './slippage';
import { strategyAgentsTrainer } from './strategy-agents';
import { strikeSelectorTrainer } from './strike-selector';
import { tenantProfileTrainer } from './tenant-profile';
import type { Trainer, TrainedModel, TrainOptions } from './trainer';
import { trendClassifierTrainer } from './trend-classifier';

export const TRAINERS: Record<ModelTypeId, Trainer> = {
  trend_classifier: trendClassifierTrainer,
  strike_selector: strikeSelectorTrainer,
  slippage_coefficients: slippageTrainer,
  anomaly_detector: anomalyDetectorTrainer,
  feature_drift_monitor: driftMonitorTrainer,
  signal_stack: signalStackTrainer,
  strategy_agents: strategyAgentsTrainer,
  tenant_profile: tenantProfileTrainer,
};

export interface TrainingRun extends TrainedModel {
  readonly dataSummary: Record<string, number>;
}

export async function trainFromRows(
  typeId: ModelTypeId,
  rows: readonly RawRow[],
  options: TrainOptions = {},
): Promise<TrainingRun> {
  const trainer = TRAINERS[typeId];
  const examples = toExamples(rows, trainer.featureSchema);
  const { train, holdout } = splitHoldout(examples, trainer.holdout);
  const model = await trainer.train(train, holdout, options);
  return { ...model, dataSummary: { ...summarise(examples), train: train.length, holdout: holdout.length } };
}

/**
 * Registry metadata for a weekly training run on one data version (the data's last day), over
 * the type's standard window unless `overrides.trainingWindowDays` says otherwise.
 */
export function metadataForRun(
  typeId: string,
  run: TrainingRun,
  dataVersion: string,
  overrides: Partial<ModelMetadata> = {},
): ModelMetadata {
  return {
    typeId,
    framework: run.framework,
    hyperparameters: run.hyperparameters,
    trainMetrics: run.trainMetrics,
    validationMetrics: run.validationMetrics,
    trainingDataVersion: dataVersion,
    trainingDataEnd: dataVersion,
    trainingWindowDays: WINDOW_DAYS[typeId as ModelTypeId],
    retrainCadence: 'weekly',
    featureSchema: run.featureSchema,
    dataSummary: { ...run.dataSummary },
    ...overrides,
  };
}

/**
 * Trains a type on a data version's rows (its standard window, or `windowDays` of it) and
 * returns the run with the metadata that pins its holdout: what tests and tools save.
 */
export async function trainOnDataVersion(
  typeId: ModelTypeId,
  dataVersion: string,
  options: TrainOptions & { windowDays?: number } = {},
): Promise<{ run: TrainingRun; metadata: ModelMetadata }> {
  const windowDays = options.windowDays ?? WINDOW_DAYS[typeId];
  const run = await trainFromRows(typeId, await rawTrainingRows(typeId, dataVersion, [], windowDays), options);
  return { run, metadata: metadataForRun(typeId, run, dataVersion, { trainingWindowDays: windowDays }) };
}

export type { Trainer, TrainedModel, TrainOptions };
