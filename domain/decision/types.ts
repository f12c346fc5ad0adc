/**
 * What decide reads and what it returns. Everything is plain JSON: the decision is stored whole
 * (decisions.why) and can be read back to explain itself.
 */
import type { AgentState } from '../agents/agent-state';
import type { ArmScores } from '../agents/action-space';
import type { CombinerResult } from '../combiner/combine';
import type { SignalStack } from '../combiner/signal-stack';
import type { CostBreakdown } from '../costs/engine-types';
import type { SlippageModel } from '../costs/slippage';
import type { FactorValues } from '../factors/types';
import type { Regime } from '../market/types';
import type { Rupees } from '../money';
import type { PortfolioState, TenantLimits, WallOutcome } from '../risk/types';
import type { SignalPrediction } from '../signals/contract';
import type { StructureKind, StructureLeg } from '../strategies/types';
import type { ProfileInUse } from './tenant-adaptation';

/** A model a decision used, as the registry knows it. */
export interface ModelRef {
  readonly typeId: string;
  readonly version: number;
  readonly sha256: string;
}

/** A model version a caller holds decide to (a trading day pins what was in production at its open). */
export interface ModelPin extends ModelRef {
  /** Whose version it is: the global model or a tenant's variant. */
  readonly scope: 'global' | number;
}

/** The strategy_agents artifact: every agent's state and which agent drives each regime. */
export interface AgentsModel {
  readonly version: 1;
  readonly states: Readonly<Record<string, AgentState>>;
  /** From the weekly population step; null when the held-out window had no round of the regime. */
  readonly drivers: Readonly<Record<Regime, string | null>>;
}

/** How strikes were chosen: the served strike_selector, or the quote-by-delta rule. */
export interface StrikeChoice {
  readonly source: 'strike_selector' | 'fallback';
  /** Short strikes at this many ATM standard deviations (selector) … */
  readonly widthZ: number | null;
  /** … read as the short leg's |delta| for the delta-targeting templates (null: template defaults). */
  readonly shortDelta: number | null;
  readonly expectedPnlPct: number | null;
  readonly model: ModelRef | null;
  readonly reason: string | null;
}

export interface KillSwitchView {
  readonly scope: 'tenant' | 'instrument' | 'strategy';
  readonly target: string;
  readonly reason: string;
}

/** The tenant's real state at decision time (positions already priced on the snapshot). */
export interface TenantRiskView {
  readonly limits: Omit<TenantLimits, 'killSwitch'>;
  readonly portfolio: PortfolioState;
  readonly killSwitches: readonly KillSwitchView[];
  /** Tenant not active, or reconciliation not clean: no new risk. */
  readonly halted: boolean;
  readonly haltReason: string | null;
  readonly openPositions: number;
  /** Exposure: leg-lots open now (Σ |quantity| / lot size) and the tenant's cap on them after a trade. */
  readonly exposure: { readonly openLots: number; readonly maxOpenLots: number };
  /** Where the limits come from: the tenant's own row, or the platform defaults. */
  readonly limitsSource: 'tenant' | 'default';
}

export interface DecisionModels {
  readonly signalStack: { readonly ref: ModelRef; readonly state: SignalStack };
  readonly agents: { readonly ref: ModelRef; readonly state: AgentsModel };
  /** null: the cost engine's default, recorded as such. */
  readonly slippage: { readonly ref: ModelRef; readonly model: SlippageModel } | null;
  /** The tenant's behavioural profile (its variant, else the global one) sizing is adapted to; absent: none. */
  readonly tenantProfile?: ProfileInUse | null;
}

export type DecisionStatus = 'trade' | 'abstain' | 'refused';

export interface DecisionReason {
  readonly code: string;
  readonly source: 'combiner' | 'costs' | 'castle' | 'structure' | 'limits';
  readonly detail: string;
}

export interface CandidateEvaluation {
  readonly kind: StructureKind;
  readonly built: boolean;
  readonly detail: string | null;
  readonly lots: number;
  readonly expectedPnl: Rupees | null;
  readonly totalCosts: Rupees | null;
  readonly netEv: Rupees | null;
}

export interface ExpectedPnl {
  readonly total: Rupees;
  /** Per-unit components of the greeks expansion over the horizon, before × quantity. */
  readonly perUnit: {
    readonly delta: number;
    readonly gamma: number;
    readonly theta: number;
  };
  readonly horizonMinutes: number;
  readonly forecastVol: number;
  readonly expectedReturn: number;
}

export interface Decision {
  readonly decisionId: string;
  readonly status: DecisionStatus;
  readonly reasons: readonly DecisionReason[];
  readonly instrument: string;
  readonly tradingDate: string;
  readonly at: string;
  readonly snapshotId: string;
  readonly factors: FactorValues;
  readonly regime: { readonly regime: Regime; readonly probabilities: Readonly<Record<Regime, number>> };
  readonly signals: readonly SignalPrediction[];
  readonly combiner: CombinerResult;
  readonly drift: { readonly judged: boolean; readonly recentDecisions: number };
  readonly agent: {
    readonly agentId: string;
    readonly algorithm: string;
    readonly arm: StructureKind;
    readonly scores: ArmScores;
    readonly context: readonly number[];
    readonly driverSource: 'population_step' | 'default_specialist';
  } | null;
  readonly strikes: StrikeChoice | null;
  readonly candidates: readonly CandidateEvaluation[];
  readonly structure: StructureKind | null;
  readonly lots: number;
  readonly legs: readonly StructureLeg[];
  readonly sizing: Readonly<Record<string, number | string>> | null;
  readonly costs: CostBreakdown | null;
  readonly expectedPnl: ExpectedPnl | null;
  readonly netEv: Rupees | null;
  readonly economics: { readonly accept: boolean; readonly reasonCode: string | null } | null;
  readonly gates: readonly WallOutcome[];
  readonly models: readonly ModelRef[];
  /** Factors the weekly evaluation switched off: computed and stored, given to the stack as missing. */
  readonly switchedOffFactors?: readonly string[];
  /** The tenant's limits this decision was sized and checked against. */
  readonly limits?: {
    readonly source: 'tenant' | 'default';
    readonly maxLotsPerOrder: number;
    readonly maxLotsPerDay: number;
    readonly maxDailyLoss: string;
    readonly maxOpenLots: number;
    readonly openLots: number;
  };
}
