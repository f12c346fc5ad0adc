/** What every trainer provides: a feature schema, a holdout rule and a train function. */
import type { Example } from '../data/rule1';
import type { HoldoutSpec } from '../data/split';
import type { FeatureSchema, Framework } from '../types';

export interface TrainOptions {
  /** Called between units of work (trees, iterations): the activity heartbeats from here. */
  readonly onProgress?: (progress: { done: number; total: number; note: string }) => void;
  readonly hyperparameters?: Record<string, number>;
}

export interface TrainedModel {
  readonly framework: Framework;
  readonly artifact: Buffer;
  readonly featureSchema: FeatureSchema;
  readonly hyperparameters: Record<string, unknown>;
  readonly trainMetrics: Record<string, number>;
  readonly validationMetrics: Record<string, number>;
}

export interface Trainer {
  readonly typeId: string;
  readonly framework: Framework;
  readonly featureSchema: FeatureSchema;
  readonly holdout: HoldoutSpec;
  train(train: readonly Example[], holdout: readonly Example[], options?: TrainOptions): Promise<TrainedModel>;
}

/** Lets timers and heartbeats run between synchronous chunks of training. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export const jsonArtifact = (typeId: string, state: unknown): Buffer =>
  Buffer.from(JSON.stringify({ typeId, format: 1, state }), 'utf8');

export function weightedMean(values: readonly number[], weights: readonly number[]): number {
  let s = 0;
  let w = 0;
  for (let i = 0; i < values.length; i++) {
    s += values[i]! * weights[i]!;
    w += weights[i]!;
  }
  return s / w;
}
