/**
 * decide: one pure function from a snapshot, the served models and the tenant's state to a
 * decision with its whole why. Steps: factors → the signal stack (regime, eight modules with
 * intervals, combiner; an abstention stops here with its reason) → the regime's driving agent
 * picks one of the eight structures → strikes (strike selector's width or the delta rule) →
 * every candidate built, sized, costed (round trip, slippage model from the registry) and its
 * expected P&L weighed against costs → the picked one through the seven walls with the tenant's
 * state. net_ev ≤ 0 refuses with the cost reason; any failed wall refuses with its code.
 */
import { ARMS } from '../agents/action-space';
import { agentContext } from '../agents/context';
import { AGENT_SPECS, createAgent } from '../agents/population';
import { DriftWindow } from '../combiner/drift-window';
import { stackView } from '../combiner/signal-stack';
import { computeCosts } from '../costs/engine';
import type { CostLeg } from '../costs/engine-types';
import { evaluateNetEv } from '../costs/decision';
import { computeFactors } from '../factors/define-factor';
import { FACTORS } from '../factors/registry';
import type { FactorValues } from '../factors/types';
import { dec, rupees } from '../money';
import { REGIME_FACTORS } from '../regime/jump-factor';
import type { DecisionSnapshot } from '../snapshot/types';
import { buildStructure } from '../strategies/templates';
import type { OptionChain } from '../market/types';
import type { BuildResult, Structure, StructureKind, StructureParams } from '../strategies/types';
import { expectedPnl } from './expected-pnl';
import { gateStructure } from './gate';
import { sizeStructure, sizingBudget } from './sizing';
import type {
  CandidateEvaluation,
  Decision,
  DecisionModels,
  DecisionReason,
  ExpectedPnl,
  StrikeChoice,
  TenantRiskView,
} from './types';

/** Factors the stack reads: the library and the detector's jump factor. */
export const DECISION_FACTORS = [...FACTORS, ...REGIME_FACTORS];

export interface DecideInput {
  readonly decisionId: string;
  readonly snapshot: DecisionSnapshot;
  readonly models: DecisionModels;
  readonly tenant: TenantRiskView;
  readonly strikes: StrikeChoice;
  /** Recent decisions' factor values for the drift monitor (judged from 200 on). */
  readonly recentFactors?: DriftWindow;
  /** Factors already computed for this snapshot (the strike selector's caller may have them). */
  readonly factors?: FactorValues;
  /** Every arm's structure on this snapshot and strike choice (candidateStructures), when already built. */
  readonly structures?: CandidateStructures;
  /** Factors the weekly evaluation switched off: the stack and the agent see them as missing. */
  readonly switchedOffFactors?: readonly string[];
}

/** The values the stack reads: a switched-off factor is missing (its training mean, no influence). */
export function withoutFactors(values: FactorValues, off: readonly string[]): FactorValues {
  if (off.length === 0) return values;
  const out: Record<string, number | null> = { ...values };
  for (const name of off) if (name in out) out[name] = null;
  return out;
}

export function structureParams(kind: StructureKind, strikes: StrikeChoice): StructureParams {
  const d = strikes.shortDelta;
  if (d === null || !(d > 0 && d < 0.5)) return { kind } as StructureParams;
  switch (kind) {
    case 'BULL_PUT_SPREAD':
    case 'BEAR_CALL_SPREAD':
    case 'IRON_CONDOR':
      return { kind, shortDelta: d };
    case 'LONG_STRANGLE':
      return { kind, delta: d };
    default:
      return { kind } as StructureParams;
  }
}

/** Entry at mid and exit at mid after the horizon, each side paying its slippage: the round trip. */
export function roundTripLegs(s: Structure, lots: number): CostLeg[] {
  const legs: CostLeg[] = [];
  for (const l of s.legs) {
    const common = {
      instrument: s.instrument,
      kind: 'option' as const,
      lots: lots * l.ratio,
      price: l.mid,
      date: s.date,
      spread: Number((l.ask - l.bid).toFixed(2)),
    };
    legs.push({ ...common, side: l.side });
    legs.push({ ...common, side: l.side === 'BUY' ? 'SELL' : 'BUY' });
  }
  return legs;
}

export type CandidateStructures = ReadonlyMap<StructureKind, BuildResult>;

/** Every arm's structure on a chain for a strike choice: the same for every tenant deciding on the snapshot. */
export function candidateStructures(chain: OptionChain, strikes: StrikeChoice): CandidateStructures {
  return new Map(ARMS.map((kind) => [kind, buildStructure(chain, structureParams(kind, strikes))]));
}

export function decide(input: DecideInput): Decision {
  const { snapshot, models, tenant } = input;
  const factors = input.factors ?? computeFactors(snapshot, DECISION_FACTORS);
  const off = (input.switchedOffFactors ?? []).filter((f) => f in factors);
  const used = withoutFactors(factors, off);
  // Factors switched off read as missing in the window too (a rare case: counted afresh).
  const window = input.recentFactors ?? new DriftWindow(0);
  const recent = off.length === 0 ? window : DriftWindow.of(window.values().map((r) => withoutFactors(r, off)));
  const view = stackView(models.signalStack.state, used, recent);
  const modelRefs = [models.signalStack.ref, models.agents.ref, ...(models.slippage ? [models.slippage.ref] : [])];
  if (input.strikes.model) modelRefs.push(input.strikes.model);
  // With its scope: the tenant's own variant or the global profile, recorded as such.
  if (models.tenantProfile) modelRefs.push(models.tenantProfile.ref);
  const base = {
    decisionId: input.decisionId,
    instrument: snapshot.instrument,
    tradingDate: snapshot.date,
    at: snapshot.at,
    snapshotId: snapshot.id,
    factors,
    regime: { regime: view.detection.regime, probabilities: view.detection.probabilities },
    signals: view.predictions,
    combiner: view.result,
    drift: {
      judged: Object.values(view.drift).some((d) => d !== undefined && d.band !== 'insufficient'),
      recentDecisions: recent.length,
    },
    models: modelRefs,
    switchedOffFactors: off,
    limits: {
      source: tenant.limitsSource,
      maxLotsPerOrder: tenant.limits.maxLotsPerOrder,
      maxLotsPerDay: tenant.limits.maxLotsPerDay,
      maxDailyLoss: tenant.limits.maxDailyLoss,
      ...tenant.exposure,
    },
  };
  if (view.result.outcome === 'abstain') {
    const detail = Object.entries(view.result.detail)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return {
      ...base,
      status: 'abstain',
      reasons: [{ code: view.result.reason, source: 'combiner', detail }],
      agent: null,
      strikes: null,
      candidates: [],
      structure: null,
      lots: 0,
      legs: [],
      sizing: null,
      costs: null,
      expectedPnl: null,
      netEv: null,
      economics: null,
      gates: [],
    };
  }
  const combined = view.result.view;
  const regime = view.detection.regime;

  // The regime's driver from the weekly population step; before any step, its first specialist.
  const driverId = models.agents.state.drivers[regime];
  const spec = AGENT_SPECS.find((s) => s.id === driverId) ?? AGENT_SPECS.find((s) => s.regime === regime)!;
  const agent = createAgent(spec);
  const context = agentContext(combined, used);
  const choice = agent.choose(models.agents.state.states[spec.id] ?? agent.init(), context);

  const slippageModel = models.slippage?.model;
  const candidates: CandidateEvaluation[] = [];
  let picked: { structure: Structure; lots: number; sizing: Record<string, number | string> } | null = null;
  let pickedCosts: ReturnType<typeof computeCosts> | null = null;
  let pickedPnl: ExpectedPnl | null = null;
  let pickedDetail: string | null = null;
  const structures = input.structures ?? candidateStructures(snapshot.chain, input.strikes);
  const budget = sizingBudget(tenant.limits, tenant.portfolio);
  for (const kind of ARMS) {
    const built = structures.get(kind)!;
    if (!built.ok) {
      candidates.push({ kind, built: false, detail: `${built.reason}: ${built.detail}`, lots: 0, ...NO_MONEY });
      if (kind === choice.arm) pickedDetail = `${built.reason}: ${built.detail}`;
      continue;
    }
    const sizing = sizeStructure(
      built.structure,
      tenant.limits,
      tenant.portfolio,
      tenant.exposure,
      models.tenantProfile,
      budget,
    );
    const costs = computeCosts(roundTripLegs(built.structure, sizing.lots), { slippageModel });
    const pnl = expectedPnl(built.structure, sizing.lots, combined, snapshot.spot);
    candidates.push({
      kind,
      built: true,
      detail: null,
      lots: sizing.lots,
      expectedPnl: pnl.total,
      totalCosts: costs.total,
      netEv: rupees(dec(pnl.total).minus(costs.total)),
    });
    if (kind === choice.arm) {
      picked = { structure: built.structure, lots: sizing.lots, sizing: { ...sizing.numbers } };
      pickedCosts = costs;
      pickedPnl = pnl;
    }
  }
  const agentRecord = {
    agentId: spec.id,
    algorithm: spec.algorithm,
    arm: choice.arm,
    scores: choice.scores,
    context,
    driverSource: driverId ? ('population_step' as const) : ('default_specialist' as const),
  };
  if (!picked || !pickedCosts || !pickedPnl) {
    return {
      ...base,
      status: 'refused',
      reasons: [{ code: 'STRUCTURE_UNAVAILABLE', source: 'structure', detail: pickedDetail ?? choice.arm }],
      agent: agentRecord,
      strikes: input.strikes,
      candidates,
      structure: choice.arm,
      lots: 0,
      legs: [],
      sizing: null,
      costs: null,
      expectedPnl: null,
      netEv: null,
      economics: null,
      gates: [],
    };
  }
  const economics = evaluateNetEv(pickedPnl.total, pickedCosts.total);
  const { gates, reasons: gateReasons } = gateStructure(
    picked.structure,
    picked.lots,
    tenant,
    snapshot,
    regime,
    pickedCosts.total,
  );
  const reasons: DecisionReason[] = [];
  if (!economics.accept)
    reasons.push({
      code: economics.reasonCode,
      source: 'costs',
      detail:
        `expected P&L ${economics.numbers.expectedPnl} does not cover total costs ${economics.numbers.totalCosts} ` +
        `(net EV ${economics.numbers.netEv})`,
    });
  reasons.push(...gateReasons);
  return {
    ...base,
    status: reasons.length === 0 ? 'trade' : 'refused',
    reasons,
    agent: agentRecord,
    strikes: input.strikes,
    candidates,
    structure: picked.structure.kind,
    lots: picked.lots,
    legs: picked.structure.legs,
    sizing: picked.sizing,
    costs: pickedCosts,
    expectedPnl: pickedPnl,
    netEv: economics.numbers.netEv,
    economics: { accept: economics.accept, reasonCode: economics.reasonCode },
    gates,
  };
}

const NO_MONEY = { expectedPnl: null, totalCosts: null, netEv: null } as const;
