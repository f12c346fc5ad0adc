/**
 * The model registry's vocabulary across processes: scopes, validation, promotion, and the retrain/rollback
 * workflows' inputs and results.
 */
import { previousTradingDay } from '../domain/calendar';
import { istParts } from '../domain/dates';

/** 'global' or a tenant id: which production pointer a model belongs to. */
export type Scope = 'global' | number;

export interface ContractCheck {
  readonly name: 'holdout_metric' | 'claimed_metric' | 'feature_schema' | 'artifact_size' | 'sha256';
  readonly passed: boolean;
  readonly detail: string;
}

export interface ValidationResult {
  readonly passed: boolean;
  readonly checks: readonly ContractCheck[];
  /** Production version the candidate was compared with (null: first model of its scope). */
  readonly comparedWith: number | null;
  readonly at: string;
}

export type PromotionOutcome =
  | { outcome: 'promoted'; version: number; previousVersion: number | null; validation: ValidationResult }
  | { outcome: 'refused'; version: number; productionVersion: number | null; validation: ValidationResult }
  | { outcome: 'already_production'; version: number };

export interface RollbackResult {
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly sha256: string;
}

export interface WeeklyRetrainInput {
  readonly typeId: string;
  readonly scope: Scope;
  /** The training data's end date (YYYY-MM-DD). */
  readonly dataVersion: string;
  /** Default true: promote when the contract passes. */
  readonly autoPromote?: boolean;
  readonly actor?: string;
}

export interface WeeklyRetrainResult {
  readonly typeId: string;
  readonly scope: Scope;
  readonly dataVersion: string;
  readonly version: number;
  readonly sha256: string;
  readonly trained: boolean;
  readonly rows: number;
  readonly validation: ValidationResult;
  readonly promotion: PromotionOutcome | null;
  readonly result: RetrainResultKind;
}

/** What a retrain run ended in. */
export type RetrainResultKind = 'promoted' | 'staged' | 'already_production';

export const retrainWorkflowId = (typeId: string, scope: Scope, dataVersion: string): string =>
  `retrain/${typeId}/${scope}/${dataVersion}`;

export interface ScheduledRetrainResult {
  readonly typeId: string;
  readonly dataVersion: string;
  readonly runs: Array<{ scope: Scope; workflowId: string; result: string }>;
}

/** The data version for a run at `ms`: the last trading day strictly before that IST date. */
export function dataVersionAt(ms: number): string {
  return previousTradingDay(istParts(ms).date);
}

export interface ModelRollbackInput {
  readonly typeId: string;
  readonly scope: Scope;
  /** Omitted: the version production had before the current one. */
  readonly toVersion?: number;
  readonly actor: string;
  readonly reason?: string;
}
