/**
 * From verified artifact bytes to a model object a caller can use, one class per type. ONNX
 * types run through onnxruntime; JSON types evaluate their state with the same TypeScript the
 * trainer validated.
 */
import type { ModelTypeId } from '../model-types';
import { ANOMALY_FEATURES, isAnomalous, mahalanobis, type AnomalyState } from '../models/anomaly';
import { driftReport, type DriftReport, type DriftState } from '../models/drift';
import { asSlippageModel, slippageShare, SLIPPAGE_FEATURES, type SlippageState } from '../models/slippage';
import type { SlippageModel } from '../../domain/costs/slippage';
import type { FeatureSchema } from '../types';
import type { SignalStack } from '../../domain/combiner';
import { parseAgentState } from '../../domain/agents';
import type { AgentsModel } from '../../domain/decision/types';
import type { TenantProfile } from '../../domain/decision/tenant-adaptation';
import type { StrategyAgentsArtifact } from '../trainers/strategy-agents';
import { parseJsonArtifact } from './json';
import { OnnxModel } from './onnx';

export interface LoadedIdentity {
  readonly typeId: ModelTypeId;
  readonly version: number;
  readonly sha256: string;
  readonly scope: 'global' | number;
  readonly featureSchema: FeatureSchema;
}

abstract class Loaded {
  constructor(readonly id: LoadedIdentity) {}
  /** Frees native resources; called when a newer version replaces this one. */
  async release(): Promise<void> {}
}

export class TrendClassifier extends Loaded {
  constructor(
    id: LoadedIdentity,
    private readonly onnx: OnnxModel,
  ) {
    super(id);
  }
  /** P(index higher in 30 minutes) per feature row (MARKET_FEATURES order). */
  async probabilityUp(rows: readonly (readonly number[])[]): Promise<number[]> {
    return Array.from(await this.onnx.predict(rows));
  }
  override release() {
    return this.onnx.release();
  }
}

export class StrikeSelector extends Loaded {
  constructor(
    id: LoadedIdentity,
    private readonly onnx: OnnxModel,
  ) {
    super(id);
  }
  async expectedPnl(rows: readonly (readonly number[])[]): Promise<number[]> {
    return Array.from(await this.onnx.predict(rows));
  }
  /** Index of the candidate row with the highest expected P&L. */
  async select(candidates: readonly (readonly number[])[]): Promise<{ index: number; expectedPnl: number }> {
    const p = await this.expectedPnl(candidates);
    let best = 0;
    for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
    return { index: best, expectedPnl: p[best]! };
  }
  override release() {
    return this.onnx.release();
  }
}

export class SlippageCoefficients extends Loaded {
  constructor(
    id: LoadedIdentity,
    readonly state: SlippageState,
  ) {
    super(id);
  }
  static readonly features = SLIPPAGE_FEATURES;
  share(x: readonly number[]): number {
    return slippageShare(this.state, x);
  }
  /** The parameter set the domain cost engine takes. */
  asSlippageModel(): SlippageModel {
    return asSlippageModel(this.state, `${this.id.typeId}@v${this.id.version}`);
  }
}

export class AnomalyDetector extends Loaded {
  constructor(
    id: LoadedIdentity,
    readonly state: AnomalyState,
  ) {
    super(id);
  }
  static readonly features = ANOMALY_FEATURES;
  score(x: readonly number[]): number {
    return mahalanobis(this.state, x);
  }
  isAnomalous(x: readonly number[]): boolean {
    return isAnomalous(this.state, x);
  }
}

export class FeatureDriftMonitor extends Loaded {
  constructor(
    id: LoadedIdentity,
    readonly state: DriftState,
  ) {
    super(id);
  }
  report(rows: readonly (readonly number[])[]): DriftReport {
    return driftReport(this.state, rows);
  }
}

/** The signal stack (detector, modules, combiner) as domain/combiner serves it. */
export class SignalStackModel extends Loaded {
  constructor(
    id: LoadedIdentity,
    readonly state: SignalStack,
  ) {
    super(id);
  }
}

export class StrategyAgentsModel extends Loaded {
  constructor(
    id: LoadedIdentity,
    readonly state: StrategyAgentsArtifact,
  ) {
    super(id);
  }
  get agents(): AgentsModel {
    return this.state.agents;
  }
}

/** A tenant's behavioural profile (its own variant or the global one: `id.scope` says which). */
export class TenantProfileModel extends Loaded {
  constructor(
    id: LoadedIdentity,
    readonly profile: TenantProfile,
  ) {
    super(id);
  }
}

export interface ModelsByType {
  trend_classifier: TrendClassifier;
  strike_selector: StrikeSelector;
  slippage_coefficients: SlippageCoefficients;
  anomaly_detector: AnomalyDetector;
  feature_drift_monitor: FeatureDriftMonitor;
  signal_stack: SignalStackModel;
  strategy_agents: StrategyAgentsModel;
  tenant_profile: TenantProfileModel;
}
export type AnyModel = ModelsByType[ModelTypeId];

export async function instantiate(id: LoadedIdentity, bytes: Uint8Array): Promise<AnyModel> {
  const nFeatures = id.featureSchema.features.length;
  switch (id.typeId) {
    case 'trend_classifier':
      return new TrendClassifier(id, await OnnxModel.fromBytes(bytes, nFeatures));
    case 'strike_selector':
      return new StrikeSelector(id, await OnnxModel.fromBytes(bytes, nFeatures));
    case 'slippage_coefficients':
      return new SlippageCoefficients(id, parseJsonArtifact<SlippageState>(bytes, id.typeId));
    case 'anomaly_detector':
      return new AnomalyDetector(id, parseJsonArtifact<AnomalyState>(bytes, id.typeId));
    case 'feature_drift_monitor':
      return new FeatureDriftMonitor(id, parseJsonArtifact<DriftState>(bytes, id.typeId));
    case 'signal_stack':
      return new SignalStackModel(id, parseJsonArtifact<SignalStack>(bytes, id.typeId));
    case 'strategy_agents': {
      const state = parseJsonArtifact<StrategyAgentsArtifact>(bytes, id.typeId);
      // Every agent state is checked (version, exactly the eight arms) before it may serve.
      for (const s of Object.values(state.agents.states)) parseAgentState(s);
      return new StrategyAgentsModel(id, state);
    }
    case 'tenant_profile': {
      const profile = parseJsonArtifact<TenantProfile>(bytes, id.typeId);
      if (profile.version !== 1 || !(profile.typicalLots > 0))
        throw new Error(`tenant_profile: unsupported profile (version ${String(profile.version)})`);
      return new TenantProfileModel(id, profile);
    }
  }
}
