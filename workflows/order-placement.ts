/**
 * OrderPlacement: one multi-leg structure, placed exactly once.
 *
 * Workflow id = business key `order/<tenantId>/<decisionId>`; every leg's broker tag is
 * derived from that key (order-tags.ts), computed from the input rather than read back, so a retried activity, a restarted worker or a new run of
 * the same key finds the orders it already placed instead of placing them again.
 *
 *  1. Gate (fail closed): tenant active, reconciliation clean, no kill switch → else refused.
 *  2. Record the decision and one intent per leg in the ledger.
 *  3. Place legs on the broker queue, hedges (BUY) first; a definite rejection stops placing.
 *  4. Wait for fills: a heartbeating watch activity polls the broker; a postback signal
 *     (`brokerUpdate`) cuts the wait short. Each leg is tracked with the domain order state
 *     machine, so late fills, duplicates and overfills are recognised, never dropped.
 *  5. On timeout or a failed leg: cancel what is working, absorb late fills, and if the
 *     structure still cannot complete, unwind every filled quantity with opposite orders
 *     (saga, MARKET orders), retrying each unwind with a new tag up to `unwindAttempts` times.
 *  6. Reconcile its own orders against the broker, record the trade (costs, status, why).
 */
import {
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type RetryPolicy,
} from '@temporalio/workflow';
import { apply, createOrder, isTerminal, type Order, type OrderEvent } from '../domain/orders';
import type { BrokerActivities } from '../activities/broker-calls';
import type { OrderActivities } from '../activities/order-ledger';
import { OrderTag, TenantId } from '../contracts/search-attributes';
import { orderTag } from './order-tags';
import {
  brokerUpdateSignal,
  orderPlacementWorkflowId,
  snapshotFingerprint,
  type LegReport,
  type LegSnapshot,
  type Mismatch,
  type OrderLeg,
  type OrderPlacementInput,
  type OrderPlacementResult,
  type StructureOutcome,
} from '../contracts/orders';
import { TASK_QUEUES } from '../contracts/task-queues';

interface LegRun {
  leg: number;
  purpose: 'entry' | 'unwind';
  tag: string;
  spec: OrderLeg;
  side: 'BUY' | 'SELL';
  quantity: number;
  orderType: 'LIMIT' | 'MARKET';
  price: string | undefined;
  attempted: boolean;
  brokerOrderId: string | null;
  order: Order;
  fingerprint: string;
  message: string | null;
}

const DEAD: readonly string[] = ['REJECTED', 'DENIED', 'CANCELED', 'EXPIRED'];

export async function orderPlacement(input: OrderPlacementInput): Promise<OrderPlacementResult> {
  const { workflowId, runId } = workflowInfo();
  // Tags come from the business key, not from whatever id this run was started under: the same
  // decision always means the same broker orders.
  const businessKey = orderPlacementWorkflowId(input.tenantId, input.decisionId);
  const opt = {
    fillTimeoutMs: 60_000,
    pollIntervalMs: 500,
    watchMaxMs: 20_000,
    heartbeatTimeoutMs: 10_000,
    unwindAttempts: 3,
    ...input.options,
  };
  const { tenantId } = input;

  // Database-only activities finish in milliseconds: a short timeout notices a dead worker quickly.
  const trading = proxyActivities<OrderActivities>({
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '500 ms', maximumInterval: '3 seconds', maximumAttempts: 30 },
  });
  const brokerRetry: RetryPolicy = {
    initialInterval: '500 ms',
    backoffCoefficient: 2,
    maximumInterval: '5 seconds',
    maximumAttempts: 20,
    nonRetryableErrorTypes: ['NoIntent'],
  };
  const broker = proxyActivities<BrokerActivities>({
    taskQueue: TASK_QUEUES.broker,
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: opt.heartbeatTimeoutMs,
    retry: brokerRetry,
  });
  const watcher = proxyActivities<BrokerActivities>({
    taskQueue: TASK_QUEUES.broker,
    startToCloseTimeout: opt.watchMaxMs + 60_000,
    heartbeatTimeout: opt.heartbeatTimeoutMs,
    retry: { ...brokerRetry, maximumAttempts: 30 },
  });

  let woken = false;
  setHandler(brokerUpdateSignal, () => void (woken = true));
  const anomalies: string[] = [];
  const runs: LegRun[] = [];

  // Entries are marketable limits; unwinds are MARKET orders: a saga step must get out at
  // whatever the market is now, not at a quote from when the structure was chosen.
  const newRun = (
    spec: OrderLeg,
    leg: number,
    purpose: 'entry' | 'unwind',
    attempt: number,
    side: 'BUY' | 'SELL',
    quantity: number,
    limit: string | undefined,
  ): LegRun => {
    const tag = orderTag(businessKey, purpose === 'entry' ? 'E' : 'U', leg, attempt);
    const orderType = purpose === 'entry' ? spec.orderType : 'MARKET';
    const price = orderType === 'LIMIT' ? limit : undefined;
    const run: LegRun = {
      leg,
      purpose,
      tag,
      spec,
      side,
      quantity,
      orderType,
      price,
      attempted: false,
      brokerOrderId: null,
      message: null,
      order: createOrder({ id: tag, tag, side, orderType, quantity, limitPrice: price ?? null }),
      fingerprint: '',
    };
    runs.push(run);
    return run;
  };
  const step = (run: LegRun, e: OrderEvent) => {
    const r = apply(run.order, e);
    if (r.ok) run.order = r.order;
    else if (r.error.code !== 'INVALID_TRANSITION') anomalies.push(`${run.tag}: ${r.error.code}: ${r.error.message}`);
  };
  const tagAttributes = () => upsertSearchAttributes([{ key: OrderTag, value: runs.map((r) => r.tag) }]);
  const intent = (r: LegRun) => ({
    tag: r.tag,
    decisionId: input.decisionId,
    legIndex: r.leg,
    purpose: r.purpose,
    instrument: r.spec.instrument,
    tradingsymbol: r.spec.tradingsymbol,
    expiry: r.spec.expiry,
    strike: r.spec.strike,
    optionType: r.spec.optionType,
    side: r.side,
    quantity: r.quantity,
    orderType: r.orderType,
    limitPrice: r.price ?? null,
  });

  /** Fold a broker snapshot into the leg's state machine. */
  const absorb = (run: LegRun, s: LegSnapshot) => {
    run.fingerprint = snapshotFingerprint(s);
    if (!s.found) return;
    if (s.duplicates > 1) anomalies.push(`${run.tag}: ${s.duplicates} broker orders carry this tag`);
    run.brokerOrderId = s.brokerOrderId;
    run.message = s.statusMessage ?? run.message;
    if (run.order.status === 'INITIALIZED') step(run, { type: 'SUBMIT' });
    if (s.status === 'REJECTED') return step(run, { type: 'REJECT', reason: s.statusMessage ?? 'rejected' });
    if (s.status !== 'SUBMITTED' && run.order.status === 'SUBMITTED') step(run, { type: 'ACCEPT' });
    const known = new Set(run.order.fills.map((f) => f.fillId));
    for (const t of [...s.trades].sort((a, b) =>
      a.filledAt < b.filledAt ? -1 : a.filledAt > b.filledAt ? 1 : a.tradeId < b.tradeId ? -1 : 1,
    )) {
      if (!known.has(t.tradeId))
        step(run, { type: 'FILL', fillId: t.tradeId, quantity: t.quantity, price: t.price, at: t.filledAt });
    }
    if ((s.status === 'CANCELED' || s.status === 'EXPIRED') && !isTerminal(run.order.status))
      step(run, { type: s.status === 'CANCELED' ? 'CANCELED' : 'EXPIRE' });
  };

  /** Send one order; a string is why it definitely did not go (or could not be confirmed). */
  const place = async (run: LegRun): Promise<string | null> => {
    run.attempted = true;
    let res;
    try {
      res = await broker.placeOrder({
        tenantId,
        tag: run.tag,
        exchange: 'NFO',
        tradingsymbol: run.spec.tradingsymbol,
        side: run.side,
        quantity: run.quantity,
        orderType: run.orderType,
        price: run.price,
      });
    } catch (err) {
      run.message = (err as Error).message;
      return `${run.purpose} leg ${run.leg} (${run.tag}): outcome unknown after retries: ${run.message}`;
    }
    if (res.outcome === 'denied') {
      step(run, { type: 'DENY', reason: res.message ?? 'denied' });
      run.message = res.message;
      return `${run.purpose} leg ${run.leg} (${run.tag}) denied: ${res.message}`;
    }
    if (res.outcome === 'rejected') {
      step(run, { type: 'SUBMIT' });
      step(run, { type: 'REJECT', reason: res.message ?? 'rejected' });
      run.message = res.message;
      return `${run.purpose} leg ${run.leg} (${run.tag}) rejected: ${res.message}`;
    }
    absorb(run, res.snapshot!);
    return run.order.status === 'REJECTED'
      ? `${run.purpose} leg ${run.leg} (${run.tag}) rejected: ${run.message}`
      : null;
  };

  /** One watch round: the heartbeating poll, cut short by a postback signal. */
  const watch = async (legs: LegRun[], maxWaitMs: number) => {
    woken = false;
    const args = {
      tenantId,
      legs: legs.map((r) => ({ tag: r.tag, brokerOrderId: r.brokerOrderId })),
      known: Object.fromEntries(legs.map((r) => [r.tag, r.fingerprint])),
      pollIntervalMs: opt.pollIntervalMs,
    };
    let snaps: LegSnapshot[] | undefined;
    let done = false;
    const scope = new CancellationScope();
    const p = scope
      .run(() => watcher.watchOrders({ ...args, maxWaitMs }))
      .then(
        (s) => void (snaps = s),
        (err) => {
          if (!isCancellation(err)) anomalies.push(`watch failed: ${(err as Error).message}`);
        },
      )
      .finally(() => void (done = true));
    await condition(() => done || woken);
    if (!done) {
      scope.cancel();
      await p;
    }
    if (!snaps && woken) snaps = await watcher.watchOrders({ ...args, maxWaitMs: 0 });
    for (const s of snaps ?? [])
      absorb(
        legs.find((r) => r.tag === s.tag)!,
        s,
      );
  };

  /** Until every leg is filled (null), one dies (why), or the deadline passes ('timeout'). */
  const awaitFills = async (legs: LegRun[], deadline: number): Promise<string | null> => {
    for (;;) {
      if (legs.every((r) => r.order.status === 'FILLED')) return null;
      const dead = legs.find((r) => DEAD.includes(r.order.status));
      if (dead)
        return `${dead.purpose} leg ${dead.leg} (${dead.tag}) ${dead.order.status.toLowerCase()}${dead.message ? `: ${dead.message}` : ''}`;
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await watch(legs, Math.min(left, opt.watchMaxMs));
    }
  };

  /** Cancel what still works, then watch until every sent order is final (late fills land here). */
  const cancelAndSettle = async (legs: LegRun[]) => {
    const live = legs.filter((r) => r.attempted && !isTerminal(r.order.status));
    for (const r of live) {
      const c = await broker.cancelOrder({ tenantId, tag: r.tag, brokerOrderId: r.brokerOrderId });
      if (c.accepted) step(r, { type: 'CANCEL_REQUESTED' });
    }
    const settleBy = Date.now() + Math.max(opt.watchMaxMs, 15_000);
    while (live.some((r) => !isTerminal(r.order.status)) && Date.now() < settleBy)
      await watch(live, settleBy - Date.now());
    for (const r of live)
      if (!isTerminal(r.order.status)) anomalies.push(`${r.tag}: still ${r.order.status} after cancel`);
  };

  const finish = async (
    status: StructureOutcome,
    reason: string | null,
    unresolved: Mismatch[] = [],
  ): Promise<OrderPlacementResult> => {
    const sent = runs.filter((r) => r.attempted).map((r) => r.tag);
    const recon =
      sent.length > 0 || unresolved.length > 0
        ? await broker.reconcileOwnOrders({ tenantId, workflowId, tags: sent, unresolved })
        : { clean: true, mismatches: [] };
    await trading.recordTrade({
      tenantId,
      decisionId: input.decisionId,
      structure: input.structure,
      instrument: input.instrument,
      tradingDate: input.tradingDate,
      status,
      reason,
      legTags: runs.filter((r) => r.purpose === 'entry').map((r) => r.tag),
      allTags: runs.map((r) => r.tag),
    });
    return {
      workflowId,
      runId,
      tenantId,
      decisionId: input.decisionId,
      tradeId: input.decisionId,
      status,
      reason,
      legs: runs.map(report),
      reconciliationClean: recon.clean,
      anomalies: [...anomalies, ...recon.mismatches.filter((m) => !m.resolved).map((m) => `${m.kind}: ${m.detail}`)],
    };
  };

  // 1. Who, and which tags: operators find the workflow by tenant or by any broker tag.
  const entries = input.legs.map((l, i) => newRun(l, i, 'entry', 0, l.side, l.quantity, l.limitPrice));
  upsertSearchAttributes([{ key: TenantId, value: String(tenantId) }]);
  tagAttributes();
  const decision = {
    id: input.decisionId,
    tradingDate: input.tradingDate,
    structure: input.structure,
    instrument: input.instrument,
    lots: input.lots,
  };

  // 2. Fail closed.
  const gate = await trading.checkTradingGate({
    tenantId,
    decisionId: input.decisionId,
    instrument: input.instrument,
    structure: input.structure,
  });
  if (!gate.allowed) {
    await trading.recordOrderIntents({ tenantId, decision, orders: [] });
    return finish('refused', `refused: ${gate.reasons.join('; ')}`);
  }
  await trading.recordOrderIntents({ tenantId, decision, orders: entries.map(intent) });

  // 3. Hedges first, so a short never rests naked.
  const sequence = [...entries].sort((a, b) => (a.side === b.side ? a.leg - b.leg : a.side === 'BUY' ? -1 : 1));
  let failure: string | null = null;
  for (const run of sequence) {
    failure = await place(run);
    if (failure) break;
  }

  // 4. Fills.
  if (!failure) failure = await awaitFills(entries, Date.now() + opt.fillTimeoutMs);

  // 5. Cancel, absorb late fills, unwind.
  if (failure) {
    await cancelAndSettle(entries);
    if (entries.every((r) => r.order.status === 'FILLED')) {
      anomalies.push(`late fills completed the structure after: ${failure}`);
      failure = null;
    }
  }
  if (!failure) return finish('filled', null);

  const filledLegs = [...sequence].reverse().filter((r) => r.order.filledQty > 0);
  if (filledLegs.length === 0) {
    const rejected = entries.some((r) => r.order.status === 'REJECTED' || r.order.status === 'DENIED');
    return finish(
      rejected ? 'rejected' : 'cancelled',
      failure === 'timeout' ? 'no leg filled before the fill timeout' : failure,
    );
  }
  const stuck: Mismatch[] = [];
  for (const entry of filledLegs) {
    let open = entry.order.filledQty;
    for (let attempt = 0; attempt < opt.unwindAttempts && open > 0; attempt++) {
      const u = newRun(
        entry.spec,
        entry.leg,
        'unwind',
        attempt,
        entry.side === 'BUY' ? 'SELL' : 'BUY',
        open,
        entry.spec.exitPrice,
      );
      tagAttributes();
      await trading.recordOrderIntents({ tenantId, orders: [intent(u)] });
      const why = (await place(u)) ?? (await awaitFills([u], Date.now() + opt.fillTimeoutMs));
      if (why) {
        anomalies.push(`unwind ${u.tag}: ${why}`);
        await cancelAndSettle([u]);
      }
      open -= u.order.filledQty;
    }
    if (open > 0)
      stuck.push({
        kind: 'position_mismatch',
        resolved: false,
        tag: entry.tag,
        tradingsymbol: entry.spec.tradingsymbol,
        detail: `unwind incomplete: ${open} units of ${entry.spec.tradingsymbol} still open`,
      });
  }
  const why = failure === 'timeout' ? 'the structure did not fill before the fill timeout' : failure;
  if (stuck.length > 0) return finish('unwind_failed', `${why}; unwind incomplete`, stuck);
  return finish('unwound', why);
}

function report(r: LegRun): LegReport {
  return {
    leg: r.leg,
    purpose: r.purpose,
    tag: r.tag,
    tradingsymbol: r.spec.tradingsymbol,
    side: r.side,
    quantity: r.quantity,
    brokerOrderId: r.brokerOrderId,
    status: r.order.status,
    filledQuantity: r.order.filledQty,
    averagePrice: r.order.avgPrice,
  };
}
