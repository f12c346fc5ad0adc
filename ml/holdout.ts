/**
 * The holdout metric of a candidate, measured rather than read from its metadata: the training
 * data is a pure function of (type, data version, window), so the holdout the trainer scored
 * the model on can be rebuilt exactly, and the candidate's own artifact (the ONNX graph or JSON
 * state that would serve) is run on it. The validation contract compares this measurement with
 * the threshold and with what the metadata claims.
 */
import type {
  AnomalyDetector,
  AnyModel,
  FeatureDriftMonitor,
  SignalStackModel,
  SlippageCoefficients,
  StrategyAgentsModel,
  StrikeSelector,
  TenantProfileModel,
  TrendClassifier,
} from './adapters';
import type { RowSource } from './data/datasets';
import type { Example } from './data/rule1';
import { modelType, type ModelTypeId } from './model-types';
import type { FeatureSchema, ModelMetadata } from './types';

export interface HoldoutCandidate {
  readonly typeId: ModelTypeId;
  readonly artifact: Uint8Array;
  readonly sha256: string;
  readonly featureSchema: FeatureSchema;
  readonly trainingDataVersion: string;
  readonly metadata: Pick<ModelMetadata, 'trainingWindowDays'>;
}

export type HoldoutMeasurement =
  | {
      readonly ok: true;
      readonly metric: string;
      readonly value: number;
      readonly rows: number;
      readonly dataVersion: string;
      readonly windowDays: number;
      /** The digest of the bytes that were run. */
      readonly sha256: string;
    }
  | { readonly ok: false; readonly metric: string; readonly error: string; readonly sha256: string };

/**
 * Rebuilds the candidate's holdout (from the simulator and `sources`, the row sources it trained
 * on) and runs its artifact on it; never throws (a failure is a result).
 */
export async function measureHoldout(
  c: HoldoutCandidate,
  sources: readonly RowSource[] = [],
): Promise<HoldoutMeasurement> {
  const metric = modelType(c.typeId).contract.metric;
  // Training code loads on demand: the CLI and the API read the registry without it.
  const [
    { rawTrainingRows, WINDOW_DAYS },
    { toExamples },
    { splitHoldout },
    { TRAINERS },
    { instantiate },
    { sha256Hex },
  ] = await Promise.all([
    import('./data/datasets'),
    import('./data/rule1'),
    import('./data/split'),
    import('./trainers'),
    import('./adapters'),
    import('./contracts'),
  ]);
  const sha256 = sha256Hex(c.artifact);
  try {
    const windowDays = c.metadata.trainingWindowDays ?? WINDOW_DAYS[c.typeId];
    // The same sources the candidate trained on (a tenant's profile: its ledger's trades in the window).
    const rows = await rawTrainingRows(c.typeId, c.trainingDataVersion, sources, windowDays);
    // The features the candidate says it reads, in its order: what serving would feed it.
    const examples = toExamples(rows, c.featureSchema);
    const { holdout } = splitHoldout(examples, TRAINERS[c.typeId].holdout);
    const model = await instantiate(
      { typeId: c.typeId, version: 0, sha256, scope: 'global', featureSchema: c.featureSchema },
      c.artifact,
    );
    try {
      const value = await scoreOnHoldout(model, holdout);
      return { ok: true, metric, value, rows: holdout.length, dataVersion: c.trainingDataVersion, windowDays, sha256 };
    } finally {
      await model.release();
    }
  } catch (err) {
    return { ok: false, metric, error: (err as Error).message, sha256 };
  }
}

/** The contract metric of each type, computed from the loaded model's own outputs. */
async function scoreOnHoldout(model: AnyModel, holdout: readonly Example[]): Promise<number> {
  const x = holdout.map((e) => e.x);
  switch (model.id.typeId) {
    case 'trend_classifier': {
      const { classificationScores } = await import('./trainers/trend-classifier');
      const m = model as TrendClassifier;
      return classificationScores(await m.probabilityUp(x), holdout).accuracy;
    }
    case 'strike_selector': {
      const { rankIc } = await import('./trainers/strike-selector');
      const m = model as StrikeSelector;
      return rankIc(
        await m.expectedPnl(x),
        holdout.map((e) => e.y),
      );
    }
    case 'slippage_coefficients': {
      const { r2 } = await import('./trainers/slippage');
      return r2((model as SlippageCoefficients).state, holdout);
    }
    case 'anomaly_detector': {
      const { inlierRate } = await import('./trainers/anomaly-detector');
      return inlierRate((model as AnomalyDetector).state, holdout);
    }
    case 'feature_drift_monitor': {
      const { stabilityOf } = await import('./trainers/drift-monitor');
      return stabilityOf((model as FeatureDriftMonitor).report(x));
    }
    case 'signal_stack': {
      const { stackCoverage, holdoutRowsOf } = await import('./trainers/signal-stack');
      return stackCoverage((model as SignalStackModel).state, holdoutRowsOf(holdout)).mean_coverage!;
    }
    case 'strategy_agents': {
      const { agentsAdvantage, holdoutRewardedRows } = await import('./trainers/strategy-agents');
      return agentsAdvantage((model as StrategyAgentsModel).state, holdoutRewardedRows(holdout));
    }
    case 'tenant_profile': {
      const { sizeSkill } = await import('./trainers/tenant-profile');
      return sizeSkill((model as TenantProfileModel).profile, holdout);
    }
  }
}
