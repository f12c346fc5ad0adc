/**
 * TradingDay's steps: pre-open (child Reconciliation, kill switches, opening book), one decision
 * tick (decide → a `trade` becomes a child OrderPlacement under the decision's business key),
 * closing the book (flatten, square-off) through OrderPlacement, marking it, and the summary.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  executeChild,
  patched,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { DecideInput, DecideResult } from '../activities/decide';
import type { TradingDayActivities } from '../activities/trading-day';
import { reconciliationWorkflowId } from '../contracts/reconciliation';
import type { DayEndStatus, DaySummary } from '../contracts/trading-day';
import type { WorkflowSignatures } from '../contracts/workflows';
import type { DecisionOutcome as Decision } from '../domain/decision';
import type { ModelPin } from '../domain/decision';
import type { Instrument } from '../domain/instruments';
import { dec } from '../domain/money';
import { closedStats, mayEnter, maxDrawdown, refusalKey, tickDecisionId, tickInstant } from '../domain/trading-day';
import { databaseActivityOptions, MONEY_BUDGET, OUTAGE_RETRY } from './retry-budgets';
import { applyExits, guardDailyLoss, holdEntry, mark, place } from './trading-day-book';
import type { DayRun } from './trading-day-state';

export { cancelWorking, closeBook, mark } from './trading-day-book';

/** The models decide serves at the open are pinned for the day from this patch on. */
export const PINNED_MODELS_PATCH = 'trading-day-pinned-models';

const acts = proxyActivities<TradingDayActivities>(databaseActivityOptions());
const decider = proxyActivities<{
  decide(input: DecideInput): Promise<DecideResult>;
  decisionModels(input: { tenantId: number }): Promise<ModelPin[]>;
}>({
  // Short enough that a worker killed mid-decision is noticed quickly (a decide takes milliseconds,
  // a fresh worker's first one loads its models in about a second); the retry returns the stored decision.
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: MONEY_BUDGET,
  retry: OUTAGE_RETRY,
});

export const DEFAULT_SEED = 7;

/** The lower of the tenant's limit and the day's own, when it asked for one. */
const tighterLimit = (tenant: string, day: string | undefined): string =>
  day !== undefined && dec(day).lessThan(tenant) ? day : tenant;

/** Pre-open: the reconciliation must come back clean and no tenant-wide switch may be set, else HALTED. */
export async function preOpen(day: DayRun): Promise<void> {
  const { tenantId, date } = day.input;
  const asked = day.input.maxDailyLoss;
  if (asked !== undefined && !/^\d{1,12}(\.\d{1,2})?$/.test(asked))
    throw ApplicationFailure.nonRetryable(
      `maxDailyLoss: expected rupees such as 25000.00, got ${JSON.stringify(asked)}`,
    );
  const recon = await executeChild<WorkflowSignatures['reconciliation']>('reconciliation', {
    workflowId: reconciliationWorkflowId(tenantId, `pre-open-${date}`),
    args: [{ tenantId, trigger: 'pre_open' }],
  });
  const pre = await acts.dayPreOpen({ tenantId });
  const why: string[] = [];
  if (!recon.clean) {
    const open = recon.mismatches.filter((m) => !m.resolved);
    why.push(`pre-open reconciliation not clean (${open.length} unresolved: ${open.map((m) => m.kind).join(', ')})`);
  }
  why.push(...pre.blockers);
  day.startAs(why.length > 0 ? 'HALTED' : 'ACTIVE', why.length > 0 ? why.join('; ') : null);
  day.set({
    openingValue: pre.book.value,
    positions: pre.book.positions,
    maxDailyLoss: tighterLimit(pre.maxDailyLoss, day.input.maxDailyLoss),
    ...(pre.brokerTaskQueue ? { brokerTaskQueue: pre.brokerTaskQueue } : {}),
  });
  // What decide serves now is what the day decides with until its close, whatever is promoted meanwhile.
  if (patched(PINNED_MODELS_PATCH)) day.set({ models: await decider.decisionModels({ tenantId }) });
}

async function enter(day: DayRun, d: Decision): Promise<void> {
  // The state may have changed while decide ran (a halt, a pause): no entry then.
  if (!mayEnter(day.control)) return day.refuse(`state:${day.c.paused ? 'PAUSED' : day.c.state}`);
  const { tenantId, date } = day.input;
  const entry = await acts.entryLegs({
    tenantId,
    date,
    structure: d.structure!,
    instrument: d.instrument as Instrument,
    lots: d.lots,
    legs: d.legs,
    strikes: d.strikes,
  });
  if (entry.legs.length === 0) return day.refuse('structure:UNAVAILABLE_AT_BROKER');
  const instrument = d.instrument as Instrument;
  const r = await place(day, d.decisionId, d.structure!, instrument, d.lots, entry.legs, 'open');
  if (r.status === 'filled') {
    day.set({ trades: day.c.trades + 1 });
    holdEntry(day, r, { structure: d.structure!, instrument, lots: d.lots, legs: entry.legs });
  } else if (r.status === 'refused') day.refuse('placement:refused');
}

const failureType = (err: unknown): string =>
  err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? (err.cause.type ?? 'error') : 'error';

/** Accelerated mode: the paper market's clock to this market minute (live mode: the wall clock is it). */
export async function alignClock(day: DayRun, minute: number): Promise<void> {
  if (day.mode !== 'accelerated') return;
  const { tenantId, date } = day.input;
  await acts.alignPaperMarket({ tenantId, date, seed: day.input.seed ?? DEFAULT_SEED, minute });
}

/** One decision tick at a market minute: align the clock (accelerated), decide, maybe enter, mark. */
export async function tick(day: DayRun, minute: number): Promise<void> {
  const { tenantId, date } = day.input;
  const seed = day.input.seed ?? DEFAULT_SEED;
  await alignClock(day, minute);
  if (mayEnter(day.control)) {
    const decisionId = tickDecisionId(date, minute);
    let decision: Decision | null = null;
    try {
      ({ decision } = await decider.decide({
        tenantId,
        decisionId,
        instrument: day.input.instrument ?? 'NIFTY',
        at: tickInstant(date, minute),
        seed,
        ...(day.c.models.length > 0 ? { models: day.c.models } : {}),
      }));
    } catch (err) {
      // No decision is no new risk: the day goes on and says why in its refusals.
      if (!(err instanceof ActivityFailure)) throw err;
      day.refuse(`decide:${failureType(err)}`);
    }
    if (decision) {
      day.set({ decisionIds: [...day.c.decisionIds, decisionId] });
      const key = refusalKey(decision);
      if (key) day.refuse(key);
      if (decision.status === 'trade') await enter(day, decision);
    }
  }
  await mark(day);
  await applyExits(day, minute);
  await guardDailyLoss(day);
  day.set({ pnlPath: [...day.c.pnlPath, day.c.pnl] });
}

export async function finalReconciliation(day: DayRun): Promise<boolean> {
  const { tenantId, date } = day.input;
  const r = await executeChild<WorkflowSignatures['reconciliation']>('reconciliation', {
    workflowId: reconciliationWorkflowId(tenantId, `end-of-day-${date}`),
    args: [{ tenantId, trigger: 'on_demand' }],
  });
  return r.clean;
}

/** The summary row (costs from the day's trades) and the workflow's result. */
export async function summarise(
  day: DayRun,
  status: DayEndStatus,
  reason: string | null,
  reconciliationClean: boolean | null,
): Promise<DaySummary> {
  const { tenantId, date } = day.input;
  const c = day.c;
  return acts.recordDaySummary({
    runId: workflowInfo().runId,
    decisionIds: [...c.placementIds],
    summary: {
      workflowId: workflowInfo().workflowId,
      tenantId,
      date,
      mode: day.mode,
      status,
      reason,
      finalState: c.state,
      decisions: c.decisionIds.length,
      trades: c.trades,
      refusals: c.refusals,
      refusalCount: Object.values(c.refusals).reduce((s, n) => s + n, 0),
      grossPnl: c.pnl,
      maxDrawdown: maxDrawdown(c.pnlPath),
      squaredOff: c.squaredOff,
      reconciliationClean,
      openPositionsAtClose: c.positions.length,
      ...closedStats(c.closedPnls),
      exits: c.exits,
      cancelledAtClose: day.cancelledAtClose,
      models: c.models,
    },
  });
}
