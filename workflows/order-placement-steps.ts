/**
 * The named steps OrderPlacement is made of, over one Placement: its input and options, its
 * activity proxies, and the domain LegTracker that holds every leg's state and makes the
 * saga's choices. Each step moves data between the tracker and an activity; none decides what
 * a broker report means.
 */
import {
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { LegTracker, type Leg } from '../domain/orders';
import type { BrokerActivities } from '../activities/broker-calls';
import type { GateVerdict, OrderActivities, RecordedTrade, RecordTradeInput } from '../activities/order-ledger';
import { OrderTag } from '../contracts/search-attributes';
import {
  brokerUpdateSignal,
  orderPlacementWorkflowId,
  snapshotFingerprint,
  type LegReport,
  type LegSnapshot,
  type Mismatch,
  type OrderPlacementInput,
  type OrderPlacementResult,
  type StructureOutcome,
} from '../contracts/orders';
import { TASK_QUEUES } from '../contracts/task-queues';
import { childOrders } from './order-slices';
import { orderTag } from './order-tags';
import { BROKER_RETRY, databaseActivities, MONEY_BUDGET } from './retry-budgets';

/** The gate, intents and trade row run as local activities from this patch on. */
export const LOCAL_LEDGER_PATCH = 'order-placement-local-ledger';
/**
 * From this patch on: gate and intents in one local activity, and the legs placed, watched and
 * (when all filled) reconciled in one broker activity.
 */
export const BATCHED_LEGS_PATCH = 'order-placement-batched-legs';
/** From this patch on, a structure that fills inside placeLegs has its trade row recorded there too. */
export const TRADE_IN_BATCH_PATCH = 'order-placement-trade-in-batch';

export type Placement = ReturnType<typeof startPlacement>;

/** Options, proxies, the leg tracker and the postback signal for one run. */
export function startPlacement(input: OrderPlacementInput) {
  const opt = {
    fillTimeoutMs: 60_000,
    pollIntervalMs: 500,
    watchMaxMs: 20_000,
    heartbeatTimeoutMs: 10_000,
    unwindAttempts: 3,
    ...input.options,
  };
  const ledger = databaseActivities<OrderActivities>(LOCAL_LEDGER_PATCH);
  // A tenant with its own broker worker (at its registered static IP) has its own queue.
  const brokerQueue = input.brokerTaskQueue ?? TASK_QUEUES.broker;
  const broker = proxyActivities<BrokerActivities>({
    taskQueue: brokerQueue,
    startToCloseTimeout: '2 minutes',
    scheduleToCloseTimeout: MONEY_BUDGET,
    heartbeatTimeout: opt.heartbeatTimeoutMs,
    retry: BROKER_RETRY,
  });
  const watcher = proxyActivities<BrokerActivities>({
    taskQueue: brokerQueue,
    startToCloseTimeout: opt.watchMaxMs + 60_000,
    scheduleToCloseTimeout: MONEY_BUDGET,
    heartbeatTimeout: opt.heartbeatTimeoutMs,
    retry: BROKER_RETRY,
  });
  // Tags come from the business key, not from whatever id this run was started under: the same
  // decision always means the same broker orders.
  const businessKey = orderPlacementWorkflowId(input.tenantId, input.decisionId);
  const legs = new LegTracker((purpose, leg, attempt) =>
    orderTag(businessKey, purpose === 'entry' ? 'E' : 'U', leg, attempt),
  );
  const children = childOrders(input);
  const p = { input, children, tenantId: input.tenantId, opt, ledger, broker, watcher, legs, woken: false };
  setHandler(brokerUpdateSignal, () => void (p.woken = true));
  return p;
}

/** Operators find the workflow by any of its broker tags. */
export function tagWorkflow(p: Placement): void {
  upsertSearchAttributes([{ key: OrderTag, value: p.legs.all().map((l) => l.tag) }]);
}

/** The decision row (first call only) and one intent per leg, before anything is sent. */
export async function recordIntents(p: Placement, legs: readonly Leg[], withDecision: boolean): Promise<void> {
  await p.ledger.recordOrderIntents(intentsOf(p, legs, withDecision));
}

function intentsOf(p: Placement, legs: readonly Leg[], withDecision: boolean) {
  const { input } = p;
  const decision = withDecision
    ? {
        id: input.decisionId,
        tradingDate: input.tradingDate,
        structure: input.structure,
        instrument: input.instrument,
        lots: input.lots,
      }
    : undefined;
  const orders = legs.map((l) => {
    const spec = p.children.specs[l.leg]!;
    return {
      tag: l.tag,
      decisionId: input.decisionId,
      legIndex: p.children.parent[l.leg]!,
      purpose: l.purpose,
      instrument: spec.instrument,
      tradingsymbol: spec.tradingsymbol,
      expiry: spec.expiry,
      strike: spec.strike,
      optionType: spec.optionType,
      side: l.side,
      quantity: l.quantity,
      orderType: l.orderType,
      limitPrice: l.price ?? null,
    };
  });
  return decision ? { tenantId: p.tenantId, decision, orders } : { tenantId: p.tenantId, orders };
}

/** The fail-closed gate on its own (histories from before BATCHED_LEGS_PATCH). */
export function checkGate(p: Placement): Promise<GateVerdict> {
  return p.ledger.checkTradingGate(gateOf(p));
}

function gateOf(p: Placement) {
  const { input } = p;
  return {
    tenantId: input.tenantId,
    decisionId: input.decisionId,
    instrument: input.instrument,
    structure: input.structure,
    ...(input.intent ? { intent: input.intent } : {}),
  };
}

/** The fail-closed gate, then (if it allows) the intents: one local activity, one transaction. */
export function openPlacement(p: Placement, entries: readonly Leg[]): Promise<GateVerdict> {
  return p.ledger.openPlacement({ gate: gateOf(p), intents: intentsOf(p, entries, true) });
}

function orderOf(p: Placement, leg: Leg) {
  return {
    tag: leg.tag,
    exchange: 'NFO' as const,
    tradingsymbol: p.children.specs[leg.leg]!.tradingsymbol,
    side: leg.side,
    quantity: leg.quantity,
    orderType: leg.orderType,
    price: leg.price,
  };
}

/** Send one order; a string is why it definitely did not go (or could not be confirmed). */
export async function place(p: Placement, leg: Leg): Promise<string | null> {
  try {
    const reply = await p.broker.placeOrder({ tenantId: p.tenantId, ...orderOf(p, leg) });
    return p.legs.placed(leg, reply);
  } catch (err) {
    return p.legs.unconfirmed(leg, (err as Error).message);
  }
}

/** Send legs one after the other; a definite failure stops the rest. */
export async function placeInTurn(p: Placement, legs: readonly Leg[]): Promise<string | null> {
  for (const leg of legs) {
    const failure = await place(p, leg);
    if (failure) return failure;
  }
  return null;
}

export type OwnReconciliation = { clean: boolean; mismatches: Mismatch[] };

/**
 * Every leg in one broker activity: placed in turn, watched until filled (up to one watch
 * round) and, when all filled, reconciled there too. Returns why the structure cannot
 * complete as sent (else null) and the reconciliation when the activity did it. If the batch
 * fails after its retries, the legs are placed in turn one by one: each finds its order by tag
 * if the batch had sent it.
 */
export async function placeStructure(
  p: Placement,
  legs: readonly Leg[],
  deadline: number,
): Promise<{ failure: string | null; reconciliation: OwnReconciliation | null; trade: RecordedTrade | null }> {
  // The row finish() would write if everything fills: the activity writes it then, saving a round trip.
  const trade = patched(TRADE_IN_BATCH_PATCH) ? tradeFacts(p) : undefined;
  let batch;
  try {
    batch = await p.watcher.placeLegs({
      tenantId: p.tenantId,
      orders: legs.map((l) => orderOf(p, l)),
      fillWaitMs: Math.max(0, Math.min(deadline - Date.now(), p.opt.watchMaxMs)),
      pollIntervalMs: p.opt.pollIntervalMs,
      workflowId: workflowInfo().workflowId,
      trade,
    });
  } catch (err) {
    p.legs.note(`placing the legs together failed (${(err as Error).message}); placing them one by one`);
    return { failure: await placeInTurn(p, legs), reconciliation: null, trade: null };
  }
  for (const [i, reply] of batch.replies.entries()) {
    const failure = p.legs.placed(legs[i]!, reply);
    if (failure) return { failure, reconciliation: null, trade: null };
  }
  const failure = batch.replies.length < legs.length ? await placeInTurn(p, legs.slice(batch.replies.length)) : null;
  p.legs.observeAll(batch.views);
  if (failure) return { failure, reconciliation: null, trade: null };
  return { failure, reconciliation: batch.reconciliation, trade: batch.trade ?? null };
}

/** One watch round: the heartbeating poll, cut short by a postback signal. */
async function watch(p: Placement, legs: readonly Leg[], maxWaitMs: number): Promise<void> {
  p.woken = false;
  const args = {
    tenantId: p.tenantId,
    legs: legs.map((l) => ({ tag: l.tag, brokerOrderId: l.brokerOrderId })),
    known: Object.fromEntries(legs.map((l) => [l.tag, l.lastView ? snapshotFingerprint(l.lastView) : ''])),
    pollIntervalMs: p.opt.pollIntervalMs,
  };
  let views: LegSnapshot[] | undefined;
  let done = false;
  const scope = new CancellationScope();
  const polling = scope
    .run(() => p.watcher.watchOrders({ ...args, maxWaitMs }))
    .then(
      (v) => void (views = v),
      (err) => {
        if (!isCancellation(err)) p.legs.note(`watch failed: ${(err as Error).message}`);
      },
    )
    .finally(() => void (done = true));
  await condition(() => done || p.woken);
  if (!done) {
    scope.cancel();
    await polling;
  }
  if (!views && p.woken) views = await p.watcher.watchOrders({ ...args, maxWaitMs: 0 });
  p.legs.observeAll(views ?? []);
}

/** Until every leg is filled (null), one dies (why), or the deadline passes ('timeout'). */
export async function awaitFills(p: Placement, legs: readonly Leg[], deadline: number): Promise<string | null> {
  for (;;) {
    if (p.legs.allFilled(legs)) return null;
    const failure = p.legs.failure(legs);
    if (failure) return failure;
    const left = deadline - Date.now();
    if (left <= 0) return 'timeout';
    await watch(p, legs, Math.min(left, p.opt.watchMaxMs));
  }
}

/** Cancel what still works, then watch until every sent order is final (late fills land here). */
export async function cancelAndSettle(p: Placement, legs: readonly Leg[]): Promise<void> {
  const working = p.legs.working(legs);
  for (const leg of working) {
    const c = await p.broker.cancelOrder({ tenantId: p.tenantId, tag: leg.tag, brokerOrderId: leg.brokerOrderId });
    if (c.accepted) p.legs.cancelRequested(leg);
  }
  const settleBy = Date.now() + Math.max(p.opt.watchMaxMs, 15_000);
  while (p.legs.unsettled(working).length > 0 && Date.now() < settleBy) await watch(p, working, settleBy - Date.now());
  for (const leg of p.legs.unsettled(working)) p.legs.note(`${leg.tag}: still ${leg.order.status} after cancel`);
}

/**
 * The saga: each filled entry, last sent first, is undone with opposite orders for what is
 * still open, a new tag per attempt. Returns what stays open after every attempt.
 */
export async function unwind(p: Placement, entries: readonly Leg[]): Promise<Mismatch[]> {
  const stuck: Mismatch[] = [];
  for (const entry of entries) {
    for (let attempt = 0; attempt < p.opt.unwindAttempts; attempt++) {
      const u = p.legs.openUnwind(entry, attempt);
      if (!u) break;
      tagWorkflow(p);
      await recordIntents(p, [u], false);
      const why = (await place(p, u)) ?? (await awaitFills(p, [u], Date.now() + p.opt.fillTimeoutMs));
      if (why) {
        p.legs.note(`unwind ${u.tag}: ${why}`);
        await cancelAndSettle(p, [u]);
      }
    }
    const open = p.legs.openQuantity(entry);
    const tradingsymbol = p.children.specs[entry.leg]!.tradingsymbol;
    if (open > 0)
      stuck.push({
        kind: 'position_mismatch',
        resolved: false,
        tag: entry.tag,
        tradingsymbol,
        detail: `unwind incomplete: ${open} units of ${tradingsymbol} still open`,
      });
  }
  return stuck;
}

/** Reconcile its own orders against the broker, record the trade, report every leg. */
export async function finish(
  p: Placement,
  status: StructureOutcome,
  reason: string | null,
  unresolved: Mismatch[] = [],
  reconciled: OwnReconciliation | null = null,
  recorded: RecordedTrade | null = null,
): Promise<OrderPlacementResult> {
  const { input, tenantId } = p;
  const { workflowId, runId } = workflowInfo();
  const all = p.legs.all();
  const sent = all.filter((l) => l.sent).map((l) => l.tag);
  const recon =
    reconciled ??
    (sent.length > 0 || unresolved.length > 0
      ? await p.broker.reconcileOwnOrders({ tenantId, workflowId, tags: sent, unresolved })
      : { clean: true, mismatches: [] });
  if (!recorded) await p.ledger.recordTrade({ ...tradeFacts(p), status, reason });
  return {
    workflowId,
    runId,
    tenantId,
    decisionId: input.decisionId,
    tradeId: input.decisionId,
    status,
    reason,
    legs: all.map((l) => report(p, l)),
    reconciliationClean: recon.clean,
    anomalies: [
      ...p.legs.anomalies(),
      ...recon.mismatches.filter((m) => !m.resolved).map((m) => `${m.kind}: ${m.detail}`),
    ],
  };
}

/** The trade row's facts other than its outcome: the structure and every tag it sent. */
function tradeFacts(p: Placement): Omit<RecordTradeInput, 'status' | 'reason'> {
  const { input } = p;
  const all = p.legs.all();
  return {
    tenantId: p.tenantId,
    decisionId: input.decisionId,
    structure: input.structure,
    instrument: input.instrument,
    tradingDate: input.tradingDate,
    legTags: all.filter((l) => l.purpose === 'entry').map((l) => l.tag),
    allTags: all.map((l) => l.tag),
  };
}

function report(p: Placement, l: Leg): LegReport {
  return {
    leg: p.children.parent[l.leg]!,
    purpose: l.purpose,
    tag: l.tag,
    tradingsymbol: p.children.specs[l.leg]!.tradingsymbol,
    side: l.side,
    quantity: l.quantity,
    brokerOrderId: l.brokerOrderId,
    status: l.order.status,
    filledQuantity: l.order.filledQty,
    averagePrice: l.order.avgPrice,
  };
}
