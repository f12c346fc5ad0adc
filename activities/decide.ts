/**
 * The decide activity: idempotent per (tenant, decision id) — a second call returns the stored
 * decision. Builds (or reuses) the snapshot, stores it by content id, reads the tenant's state,
 * takes the models the caller pinned (else the ones the process serves now, hot-swapped under
 * it), runs domain/decision decide and writes one decisions row holding the whole why. Into the
 * workflow's history goes only the DecisionOutcome (domain/decision/outcome.ts).
 */
import type { Pool } from 'pg';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { decisionById, decisionState, insertDecision, type DecisionState } from '../db/decisions';
import { DEFAULT_MIN_DRIFT_WINDOW } from '../domain/combiner/drift';
import { DriftWindow } from '../domain/combiner/drift-window';
import type { FactorValues } from '../domain/factors/types';
import { computeFactors } from '../domain/factors/define-factor';
import { storeMarketSnapshot } from '../db/market-snapshots';
import { withTenantLocked } from '../db/tenant';
import { dateToEpochMs } from '../domain/dates';
import {
  candidateStructures,
  decide,
  DECISION_FACTORS,
  decisionOutcome,
  type CandidateStructures,
  type Decision,
  type DecisionModels,
  type DecisionOutcome,
  type ModelPin,
  type StrikeChoice,
} from '../domain/decision';
import type { Instrument } from '../domain/instruments';
import type { DecisionSnapshot } from '../domain/snapshot';
import { instantiate, type AnyModel, type ModelsByType, type StrikeSelector } from '../ml/adapters';
import { ModelNotFound, ModelRegistry } from '../ml/registry';
import { isModelTypeId, type ModelTypeId } from '../ml/model-types';
import { simulatedSnapshot, strikeChoice, tenantRiskView } from './decision-inputs';

export interface DecideInput {
  readonly tenantId: number;
  readonly decisionId: string;
  readonly instrument?: Instrument;
  /** ISO instant inside a trading session. */
  readonly at: string;
  /** Simulator seed of the market the snapshot is taken from. */
  readonly seed: number;
  /**
   * Versions to decide with instead of what is in production now (a trading day pins the ones
   * it opened with, from decisionModels); a type not pinned uses production.
   */
  readonly models?: readonly ModelPin[];
}

export interface DecideResult {
  /** The slim outcome; the whole why is the decisions row (`qs decisions show <id>`). */
  readonly decision: DecisionOutcome;
  /** false when the decision id was already decided (the stored decision is returned). */
  readonly created: boolean;
}

/** The same call for in-process callers (the CLI, the bench) that print the whole why. */
export interface WholeDecision {
  readonly decision: Decision;
  readonly created: boolean;
}

/** The model types decide reads. */
export const DECISION_MODEL_TYPES = [
  'signal_stack',
  'strategy_agents',
  'slippage_coefficients',
  'strike_selector',
  'tenant_profile',
] as const satisfies readonly ModelTypeId[];

/** Where served models come from: the process's ModelCache (or anything with its get). */
export interface ModelSource {
  get<T extends ModelTypeId>(typeId: T, tenantId?: number | null): Promise<ModelsByType[T] | null>;
}

const ref = (m: { id: { typeId: string; version: number; sha256: string } }) => ({
  typeId: m.id.typeId,
  version: m.id.version,
  sha256: m.id.sha256,
});

const pinOf = (m: AnyModel): ModelPin => ({ ...ref(m), scope: m.id.scope });

/**
 * Pinned versions loaded from the registry by (type, scope, version). A version's bytes never
 * change (the registry verifies their SHA-256), so a loaded one is kept; the few oldest beyond
 * the bound are released after a grace period (a call may still hold one).
 */
class PinnedModels {
  private readonly entries = new Map<string, Promise<AnyModel>>();
  private readonly registry: ModelRegistry;
  constructor(
    pool: Pool,
    private readonly size = 16,
  ) {
    this.registry = new ModelRegistry(pool);
  }
  get(pin: ModelPin): Promise<AnyModel> {
    const key = `${pin.typeId}|${pin.scope}|${pin.version}|${pin.sha256}`;
    let e = this.entries.get(key);
    if (!e) {
      e = this.load(pin);
      this.entries.set(key, e);
      e.catch(() => this.entries.delete(key));
      if (this.entries.size > this.size) {
        const [oldKey, old] = this.entries.entries().next().value!;
        this.entries.delete(oldKey);
        setTimeout(() => void old.then((m) => m.release()).catch(() => undefined), 60_000).unref();
      }
    }
    return e;
  }
  private async load(pin: ModelPin): Promise<AnyModel> {
    const typeId = pin.typeId as ModelTypeId;
    let a;
    try {
      a = await this.registry.loadVersion(typeId, pin.scope, pin.version);
    } catch (err) {
      if (err instanceof ModelNotFound)
        throw ApplicationFailure.nonRetryable(`pinned model ${err.message}`, 'PinnedModelMissing');
      throw err;
    }
    if (a.sha256 !== pin.sha256)
      throw ApplicationFailure.nonRetryable(
        `pinned model ${typeId} v${pin.version} has sha256 ${a.sha256}, not the pinned ${pin.sha256}`,
        'PinnedModelMismatch',
      );
    const id = { typeId, version: a.version, sha256: a.sha256, scope: a.scope, featureSchema: a.featureSchema };
    return instantiate(id, a.artifact);
  }
}

function checkPins(pins: readonly ModelPin[]): void {
  const seen = new Set<string>();
  for (const p of pins) {
    const ok =
      typeof p === 'object' &&
      p !== null &&
      isModelTypeId(p.typeId) &&
      Number.isInteger(p.version) &&
      p.version > 0 &&
      typeof p.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(p.sha256) &&
      (p.scope === 'global' || (Number.isInteger(p.scope) && p.scope > 0));
    if (!ok) throw ApplicationFailure.nonRetryable(`bad model pin ${JSON.stringify(p)}`, 'BadDecisionInput');
    if (seen.has(p.typeId)) throw ApplicationFailure.nonRetryable(`model ${p.typeId} pinned twice`, 'BadDecisionInput');
    seen.add(p.typeId);
  }
}

/**
 * The drift monitor's window per (tenant, instrument): the factor values of the latest decisions,
 * kept in the process and topped up from the decisions table with whatever any process decided
 * since the newest one seen, so every worker judges drift on the same history.
 */
class DriftWindows {
  private readonly windows = new Map<string, { since: string | null; window: DriftWindow }>();
  constructor(private readonly size = DEFAULT_MIN_DRIFT_WINDOW) {}
  since(tenantId: number, instrument: string): string | null {
    return this.windows.get(`${tenantId}|${instrument}`)?.since ?? null;
  }
  /**
   * Adds the rows read (newest first) and returns the window. Rows a concurrent decide of the
   * tenant added while this one read (the same `since`) are not added twice.
   */
  update(tenantId: number, instrument: string, fresh: DecisionState['recent']): DriftWindow {
    const key = `${tenantId}|${instrument}`;
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = { since: null, window: new DriftWindow(this.size) }));
    const since = w.since;
    const added = since === null ? fresh : fresh.filter((r) => r.at > since);
    if (added.length > 0) {
      w.window.push([...added].reverse().map((r) => r.factors));
      w.since = added[0]!.at;
    }
    return w.window;
  }
}

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

/**
 * What decide derives from a snapshot alone, computed once per cached snapshot: the factors (the
 * chain's greeks, dealer gamma, flows: most of decide's CPU), the strike selector's choice per
 * selector version and every arm's structure for that choice (every tenant deciding on a tick
 * shares them). Pure functions of their inputs, so a reuse decides exactly as a recompute would.
 */
class SnapshotDerived {
  private readonly entries = new WeakMap<
    DecisionSnapshot,
    { factors?: FactorValues; strikes: Map<string, Promise<StrikeChoice>> }
  >();
  private readonly built = new WeakMap<StrikeChoice, CandidateStructures>();
  private entry(snapshot: DecisionSnapshot) {
    let e = this.entries.get(snapshot);
    if (!e) this.entries.set(snapshot, (e = { strikes: new Map() }));
    return e;
  }
  factors(snapshot: DecisionSnapshot): FactorValues {
    const e = this.entry(snapshot);
    // Frozen: every decision on this snapshot holds the same object.
    return (e.factors ??= Object.freeze(computeFactors(snapshot, DECISION_FACTORS)));
  }
  /** Keyed by the choice itself: strikes() hands out one object per snapshot and selector. */
  structures(snapshot: DecisionSnapshot, strikes: StrikeChoice): CandidateStructures {
    let s = this.built.get(strikes);
    if (!s) this.built.set(strikes, (s = candidateStructures(snapshot.chain, strikes)));
    return s;
  }
  strikes(snapshot: DecisionSnapshot, selector: StrikeSelector | null): Promise<StrikeChoice> {
    const key = selector ? `${selector.id.version}|${selector.id.sha256}` : 'none';
    const { strikes } = this.entry(snapshot);
    let s = strikes.get(key);
    if (!s) {
      strikes.set(key, (s = strikeChoice(snapshot, selector)));
      s.catch(() => strikes.delete(key));
    }
    return s;
  }
}

export interface DecideDeps {
  pool: Pool;
  models: ModelSource;
  workflow?: () => { workflowId: string; runId: string };
}

/** decide with the whole decision returned: the activity slims it, the CLI and the bench print it. */
export function createDecider(deps: DecideDeps) {
  const snapshots = new SnapshotCache();
  const derived = new SnapshotDerived();
  const storedSnapshots = new Set<string>();
  const pinned = new PinnedModels(deps.pool);
  const drift = new DriftWindows();

  /** The pinned version of a type when there is one (the served model if it is that version), else production. */
  async function model<T extends ModelTypeId>(
    typeId: T,
    tenantId: number,
    pins: readonly ModelPin[],
  ): Promise<ModelsByType[T] | null> {
    const served = await deps.models.get(typeId, tenantId);
    const pin = pins.find((p) => p.typeId === typeId);
    if (!pin || (served && served.id.sha256 === pin.sha256 && served.id.version === pin.version)) return served;
    return (await pinned.get(pin)) as ModelsByType[T];
  }

  async function run(input: DecideInput): Promise<WholeDecision> {
    const pins = input.models ?? [];
    checkPins(pins);
    const instrument = input.instrument ?? 'NIFTY';
    let snapshot: DecisionSnapshot;
    try {
      snapshot = snapshots.get(instrument, new Date(input.at).toISOString(), input.seed);
    } catch (err) {
      throw ApplicationFailure.nonRetryable((err as Error).message, 'BadDecisionInput');
    }
    const [stack, agents, slippage, selector, profile] = await Promise.all([
      model('signal_stack', input.tenantId, pins),
      model('strategy_agents', input.tenantId, pins),
      model('slippage_coefficients', input.tenantId, pins),
      model('strike_selector', input.tenantId, pins),
      model('tenant_profile', input.tenantId, pins),
    ]);
    const strikes = await derived.strikes(snapshot, selector);
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
    const dayStart = new Date(dateToEpochMs(snapshot.date) - 330 * 60_000);
    const wf = deps.workflow?.() ?? callerWorkflow();
    // One transaction under the tenant's decide lock: decided already? else the tenant's state
    // (one statement), decide, the row.
    return withTenantLocked(deps.pool, input.tenantId, 'decide', async (tx): Promise<WholeDecision> => {
      const state = await decisionState(tx, input.decisionId, snapshot.date, dayStart, {
        instrument,
        since: drift.since(input.tenantId, instrument),
      });
      if (state.stored) {
        // A row written by a placement alone (qs orders place) holds no decision to return.
        if (!(state.stored as Partial<Decision>).decisionId)
          throw ApplicationFailure.nonRetryable(
            `decision id ${input.decisionId} is taken by an order placement that decide did not make`,
            'BadDecisionInput',
          );
        return { decision: state.stored as Decision, created: false };
      }
      const recentFactors = drift.update(input.tenantId, instrument, state.recent);
      if (!stack || !agents)
        throw ApplicationFailure.nonRetryable(
          `no ${!stack ? 'signal_stack' : 'strategy_agents'} model in production: train and promote one first`,
          'ModelNotServed',
        );
      const models: DecisionModels = {
        signalStack: { ref: ref(stack), state: stack.state },
        agents: { ref: ref(agents), state: agents.agents },
        slippage: slippage ? { ref: ref(slippage), model: slippage.asSlippageModel() } : null,
        tenantProfile: profile ? { ref: pinOf(profile), profile: profile.profile } : null,
      };
      const decision = decide({
        decisionId: input.decisionId,
        snapshot,
        factors: derived.factors(snapshot),
        structures: derived.structures(snapshot, strikes),
        models,
        tenant: tenantRiskView(state.record, snapshot, state.limits),
        strikes,
        switchedOffFactors: state.switchedOff,
        recentFactors,
      });
      // A refusal by a wall of the risk castle is news for the tenant (the notifier reads the audit
      // log); an abstention because nothing cleared its costs is not. Written with the row, in its statement.
      const failed = decision.gates.filter((g) => !g.pass);
      const refusal =
        failed.length > 0
          ? {
              eventType: 'decision.refused',
              payload: {
                decisionId: decision.decisionId,
                instrument,
                walls: failed.map((g) => ({ wall: g.wall, reasonCode: g.reasonCode })),
              },
            }
          : undefined;
      const created = await insertDecision(
        tx,
        {
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
        },
        refusal,
      );
      // A concurrent call with the same id won: its decision is the one of record.
      if (!created) return { decision: (await decisionById(tx, input.decisionId))!.why as Decision, created: false };
      return { decision, created: true };
    });
  }

  /** The versions decide would use for a tenant now: what a trading day pins at its open. */
  async function servedModels(tenantId: number): Promise<ModelPin[]> {
    const served = await Promise.all(DECISION_MODEL_TYPES.map((t) => deps.models.get(t, tenantId)));
    return served.filter((m): m is NonNullable<typeof m> => m !== null).map(pinOf);
  }

  return { run, servedModels };
}

export function createDecideActivities(deps: DecideDeps) {
  const decider = createDecider(deps);
  return {
    async decide(input: DecideInput): Promise<DecideResult> {
      const { decision, created } = await decider.run(input);
      return { decision: decisionOutcome(decision), created };
    },
    /** The model versions decide serves this tenant now, to pass back as DecideInput.models. */
    async decisionModels(input: { tenantId: number }): Promise<ModelPin[]> {
      return decider.servedModels(input.tenantId);
    },
  };
}

/** The calling workflow when run as an activity; 'direct' for an in-process call (the CLI, the bench). */
export function callerWorkflow(): { workflowId: string; runId: string } {
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
    sizing: d.sizing,
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
    limits: d.limits ?? null,
    switchedOffFactors: d.switchedOffFactors ?? [],
  };
}
