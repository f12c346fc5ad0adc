/**
 * The decide activity: idempotent per (tenant, decision id) — a second call returns the stored
 * decision. Builds (or reuses) the snapshot, stores it by content id, reads the tenant's state,
 * takes the models the process serves now (hot-swapped under it), runs domain/decision decide
 * and writes one decisions row holding the whole why.
 */
import type { Pool } from 'pg';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { decisionById, insertDecision } from '../db/decisions';
import { storeMarketSnapshot } from '../db/market-snapshots';
import { tenantRiskRecord } from '../db/tenant-risk-state';
import { withTenant } from '../db/tenant';
import { dateToEpochMs } from '../domain/dates';
import { decide, type Decision, type DecisionModels } from '../domain/decision';
import type { Instrument } from '../domain/instruments';
import type { DecisionSnapshot } from '../domain/snapshot';
import { instantiate, type ModelsByType } from '../ml/adapters';
import { ModelRegistry } from '../ml/registry';
import type { ModelTypeId } from '../ml/model-types';
import { simulatedSnapshot, strikeChoice, tenantRiskView } from './decision-inputs';

export interface DecideInput {
  readonly tenantId: number;
  readonly decisionId: string;
  readonly instrument?: Instrument;
  /** ISO instant inside a trading session. */
  readonly at: string;
  /** Simulator seed of the market the snapshot is taken from. */
  readonly seed: number;
}

export interface DecideResult {
  readonly decision: Decision;
  /** false when the decision id was already decided (the stored decision is returned). */
  readonly created: boolean;
}

/** Where served models come from: the process's ModelCache (or anything with its get). */
export interface ModelSource {
  get<T extends ModelTypeId>(typeId: T, tenantId?: number | null): Promise<ModelsByType[T] | null>;
}

const ref = (m: { id: { typeId: string; version: number; sha256: string } }) => ({
  typeId: m.id.typeId,
  version: m.id.version,
  sha256: m.id.sha256,
});

/** A few recent snapshots per process: a trading day decides on the same instant many times (and the bench). */
class SnapshotCache {
  private readonly entries = new Map<string, DecisionSnapshot>();
  constructor(private readonly size = 8) {}
  get(instrument: Instrument, at: string, seed: number): DecisionSnapshot {
    const key = `${instrument}|${at}|${seed}`;
    let s = this.entries.get(key);
    if (!s) {
      s = simulatedSnapshot(instrument, at, seed);
      this.entries.set(key, s);
      if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    }
    return s;
  }
}

export function createDecideActivities(deps: {
  pool: Pool;
  models: ModelSource;
  workflow?: () => { workflowId: string; runId: string };
}) {
  const snapshots = new SnapshotCache();
  const storedSnapshots = new Set<string>();
  return {
    async decide(input: DecideInput): Promise<DecideResult> {
      const stored = await withTenant(deps.pool, input.tenantId, (tx) => decisionById(tx, input.decisionId));
      if (stored) return { decision: stored.why as Decision, created: false };
      const instrument = input.instrument ?? 'NIFTY';
      let snapshot: DecisionSnapshot;
      try {
        snapshot = snapshots.get(instrument, new Date(input.at).toISOString(), input.seed);
      } catch (err) {
        throw ApplicationFailure.nonRetryable((err as Error).message, 'BadDecisionInput');
      }
      if (!storedSnapshots.has(snapshot.id)) {
        await storeMarketSnapshot(deps.pool, {
          id: snapshot.id,
          instrument,
          at: snapshot.at,
          date: snapshot.date,
          spot: snapshot.spot,
          origin: `${snapshot.origin}:seed=${input.seed}`,
          document: snapshot,
        });
        storedSnapshots.add(snapshot.id);
      }
      const [stack, agents, slippage, selector] = await Promise.all([
        deps.models.get('signal_stack', input.tenantId),
        deps.models.get('strategy_agents', input.tenantId),
        deps.models.get('slippage_coefficients', input.tenantId),
        deps.models.get('strike_selector', input.tenantId),
      ]);
      if (!stack || !agents)
        throw ApplicationFailure.nonRetryable(
          `no ${!stack ? 'signal_stack' : 'strategy_agents'} model in production: train and promote one first`,
          'ModelNotServed',
        );
      const models: DecisionModels = {
        signalStack: { ref: ref(stack), state: stack.state },
        agents: { ref: ref(agents), state: agents.agents },
        slippage: slippage ? { ref: ref(slippage), model: slippage.asSlippageModel() } : null,
      };
      const strikes = await strikeChoice(snapshot, selector);
      const dayStart = new Date(dateToEpochMs(snapshot.date) - 330 * 60_000);
      const record = await withTenant(deps.pool, input.tenantId, (tx) => tenantRiskRecord(tx, snapshot.date, dayStart));
      const decision = decide({
        decisionId: input.decisionId,
        snapshot,
        models,
        tenant: tenantRiskView(record, snapshot),
        strikes,
      });
      const wf = deps.workflow?.() ?? callerWorkflow();
      const created = await withTenant(deps.pool, input.tenantId, (tx) =>
        insertDecision(tx, {
          id: decision.decisionId,
          tradingDate: decision.tradingDate,
          structure: decision.structure ?? 'NONE',
          instrument,
          lots: decision.status === 'trade' ? decision.lots : 0,
          workflowId: wf.workflowId,
          runId: wf.runId,
          status: decision.status,
          snapshotId: decision.snapshotId,
          modelVersions: decision.models,
          gateOutcomes: decision.gates,
          costBreakdown: decision.costs ?? {},
          expectedPnl: decision.expectedPnl?.total ?? null,
          netEv: decision.netEv,
          why: decision,
        }),
      );
      if (!created) {
        // A concurrent call with the same id won: its decision is the one of record.
        const winner = await withTenant(deps.pool, input.tenantId, (tx) => decisionById(tx, input.decisionId));
        return { decision: winner!.why as Decision, created: false };
      }
      return { decision, created: true };
    },
  };
}

/** The calling workflow when run as an activity; 'direct' for an in-process call (the CLI, the bench). */
function callerWorkflow(): { workflowId: string; runId: string } {
  try {
    const wf = Context.current().info.workflowExecution;
    return wf ? { workflowId: wf.workflowId, runId: wf.runId } : { workflowId: 'direct', runId: 'direct' };
  } catch {
    return { workflowId: 'direct', runId: 'direct' };
  }
}

/** Production models straight from the registry, for one-shot callers (the CLI) that keep no cache. */
export function registryModelSource(pool: Pool): ModelSource {
  const registry = new ModelRegistry(pool);
  return {
    async get<T extends ModelTypeId>(typeId: T, tenantId: number | null = null) {
      const a = await registry.loadProduction(typeId, tenantId);
      if (!a) return null;
      const id = { typeId, version: a.version, sha256: a.sha256, scope: a.scope, featureSchema: a.featureSchema };
      return (await instantiate(id, a.artifact)) as ModelsByType[T];
    },
  };
}

/** The decision as `qs decide --json` and the API print it. */
export function decisionView(d: Decision) {
  return {
    decisionId: d.decisionId,
    status: d.status,
    reasons: d.reasons,
    instrument: d.instrument,
    at: d.at,
    snapshotId: d.snapshotId,
    regime: d.regime,
    structure: d.structure,
    lots: d.lots,
    legs: d.legs,
    expectedPnl: d.expectedPnl?.total ?? null,
    netEv: d.netEv,
    costs: d.costs,
    models: d.models,
    gates: d.gates.map((g) => ({ wall: g.wall, pass: g.pass, reasonCode: g.reasonCode, ...g.numbers })),
    factors: d.factors,
    signals: d.signals,
    combiner: d.combiner,
    agent: d.agent,
    strikes: d.strikes,
    candidates: d.candidates,
  };
}
