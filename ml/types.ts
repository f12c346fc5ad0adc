/** Shapes shared by the registry, trainers, adapters and the model cache. */
import type { Scope } from '../contracts/models';

export type { Scope, ContractCheck, ValidationResult } from '../contracts/models';

export type Framework = 'onnx' | 'json';

export const scopeKey = (scope: Scope): string => (scope === 'global' ? 'global' : String(scope));
export const tenantOf = (scope: Scope): number | null => (scope === 'global' ? null : scope);
export const scopeOf = (tenantId: number | null | undefined): Scope =>
  tenantId === null || tenantId === undefined ? 'global' : tenantId;

export function parseScope(text: string): Scope {
  if (text === 'global') return 'global';
  if (/^\d+$/.test(text) && Number(text) > 0) return Number(text);
  throw new RangeError(`scope must be 'global' or a tenant id, got "${text}"`);
}

/** The inputs a model reads, in order, and what it outputs: compared by the validation contract. */
export interface FeatureSchema {
  readonly features: readonly string[];
  readonly output: string;
}

export interface ModelMetadata {
  readonly typeId: string;
  readonly framework: Framework;
  readonly hyperparameters: Record<string, unknown>;
  readonly trainMetrics: Record<string, number>;
  readonly validationMetrics: Record<string, number>;
  readonly trainingDataVersion: string;
  /** Last market date in the training data (YYYY-MM-DD). */
  readonly trainingDataEnd: string;
  /**
   * Trading days of history the data version was trained on (default: the type's WINDOW_DAYS):
   * with the type and data version it pins the holdout the contract re-measures the model on.
   */
  readonly trainingWindowDays?: number;
  readonly retrainCadence: 'weekly' | 'daily' | 'manual';
  readonly featureSchema: FeatureSchema;
  /** Row counts by origin, for provenance (real rows weigh more than synthetic ones). */
  readonly dataSummary?: Record<string, number>;
}

export type VersionStatus = 'staged' | 'production' | 'retired' | 'rejected';
