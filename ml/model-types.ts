/**
 * The catalogue of model types: framework, validation contract and retrain slot of each. Pure
 * data (no trainer code) so the worker, the CLI and the schedules can read it without loading
 * training libraries.
 */
import type { Framework } from './types';

export interface ContractSpec {
  /** The holdout metric the contract reads from validationMetrics. */
  readonly metric: string;
  /** Minimum acceptable value (higher is better). */
  readonly atLeast: number;
  /** Artifact size bounds in bytes: catches "trained on the wrong data". */
  readonly minBytes: number;
  readonly maxBytes: number;
}

export interface ModelTypeSpec {
  readonly typeId: string;
  readonly framework: Framework;
  readonly description: string;
  readonly contract: ContractSpec;
  /** Promote automatically when the contract passes. */
  readonly autoPromote: boolean;
}

export const MODEL_TYPES = [
  {
    typeId: 'trend_classifier',
    framework: 'onnx',
    description: 'P(index higher in 30 minutes): logistic regression exported as an ONNX graph',
    contract: { metric: 'holdout_accuracy', atLeast: 0.5, minBytes: 200, maxBytes: 64 * 1024 },
    autoPromote: true,
  },
  {
    typeId: 'strike_selector',
    framework: 'onnx',
    description:
      'Expected short-option P&L (% of spot) by candidate strike: random forest as ONNX TreeEnsembleRegressor',
    contract: { metric: 'holdout_rank_ic', atLeast: 0.05, minBytes: 1024, maxBytes: 8 * 1024 * 1024 },
    autoPromote: true,
  },
  {
    typeId: 'slippage_coefficients',
    framework: 'json',
    description: 'Slippage as a share of the spread: weighted least squares on simulated fills',
    contract: { metric: 'holdout_r2', atLeast: 0.3, minBytes: 100, maxBytes: 64 * 1024 },
    autoPromote: true,
  },
  {
    typeId: 'anomaly_detector',
    framework: 'json',
    description: 'Mahalanobis distance of minute-bar features with a calibrated threshold',
    contract: { metric: 'holdout_inlier_rate', atLeast: 0.95, minBytes: 100, maxBytes: 64 * 1024 },
    autoPromote: true,
  },
  {
    typeId: 'feature_drift_monitor',
    framework: 'json',
    description: 'Population stability index of model features against the training reference',
    contract: { metric: 'holdout_stability', atLeast: 0.6, minBytes: 100, maxBytes: 256 * 1024 },
    autoPromote: true,
  },
  {
    typeId: 'signal_stack',
    framework: 'json',
    description:
      'Regime detector + eight signal modules with split-conformal intervals + regime-weighted combiner (one unit)',
    contract: { metric: 'holdout_mean_coverage', atLeast: 0.8, minBytes: 1024, maxBytes: 4 * 1024 * 1024 },
    autoPromote: true,
  },
  {
    typeId: 'strategy_agents',
    framework: 'json',
    description: 'Eight regime-specialised bandits over the eight structures and the driver of each regime',
    contract: { metric: 'holdout_advantage_per_lot', atLeast: 0, minBytes: 1024, maxBytes: 8 * 1024 * 1024 },
    autoPromote: true,
  },
  {
    typeId: 'tenant_profile',
    framework: 'json',
    description:
      "A tenant's trading behaviour (typical lots, loss per lot, holding time, structure mix): shrinkage " +
      'posterior of its real closed trades over the synthetic persona population; decide sizes to it',
    // Skill of the typical size on held-out trades against the prior (a variant) or one lot (global).
    contract: { metric: 'holdout_size_skill', atLeast: 0, minBytes: 200, maxBytes: 64 * 1024 },
    autoPromote: true,
  },
] as const satisfies readonly ModelTypeSpec[];

export type ModelTypeId = (typeof MODEL_TYPES)[number]['typeId'];

export const MODEL_TYPE_IDS: readonly ModelTypeId[] = MODEL_TYPES.map((t) => t.typeId);

export function isModelTypeId(value: unknown): value is ModelTypeId {
  return typeof value === 'string' && (MODEL_TYPE_IDS as readonly string[]).includes(value);
}

export function modelType(typeId: string): ModelTypeSpec {
  const spec = MODEL_TYPES.find((t) => t.typeId === typeId);
  if (!spec) throw new RangeError(`unknown model type "${typeId}" (known: ${MODEL_TYPE_IDS.join(', ')})`);
  return spec;
}
