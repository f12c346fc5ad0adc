/**
 * Reconciliation (trading queue, database only, plus one Temporal describe): a broker snapshot
 * (fetched on the broker queue) and the state of every workflow that owns an open order (both
 * recorded in the workflow history) against our ledger, row by row.
 *
 * Broker orders match ledger rows by tag, then by broker order id; broker truth is synced in
 * (status, fills, inferred fills for fills without trades); orders we never placed are
 * recorded as external. Every ledger row is then accounted for: matched at the broker, final,
 * in flight with its placement, or resolved here — an intent the broker never confirmed is
 * linked when the broker has its tag and closed as never sent when its workflow can no longer
 * send it (activities/unconfirmed-intents.ts). Ledger orders the broker should know but does
 * not, intents that cannot be confirmed, and positions that differ are unresolved; anything
 * unresolved or unaccounted marks the tenant not clean, and new orders are refused until a
 * later reconciliation comes back clean (fail closed).
 */
import { reconciliationVerdicts } from '../runtime/business-metrics';
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Pool } from 'pg';
import { auditIn } from '../db/audit';
import {
  closeNeverSent,
  ledgerOrder,
  ledgerOrders,
  ledgerPositions,
  recordOrderIntents,
  syncOrderFromBroker,
  workflowsWithOpenOrders,
  type LedgerOrder,
} from '../db/ledger';
import { recordReconciliationRun } from '../db/reconciliation-runs';
import { withTenant, type TenantTx } from '../db/tenant';
import { finishedDecisionIds } from '../db/trades';
import { setReconciliationState } from '../db/trading-state';
import { istEpochMs, istParts } from '../domain/dates';
import { isFinalStatus } from '../domain/orders';
import { instrumentOfSymbol } from '../broker/tradingsymbol';
import type { BrokerOrder, BrokerState } from '../contracts/broker-reports';
import {
  GONE_WORKFLOW_STATUSES,
  type Mismatch,
  type OrderWorkflowStates,
  type OrderWorkflowStatus,
  type ReconciliationVerdict,
} from '../contracts/orders';
import { DEFAULT_SETTLE_MS, judgeUnconfirmedIntent } from './unconfirmed-intents';
import { syncedMismatches } from './synced-mismatches';

export interface ApplyReconciliationInput {
  tenantId: number;
  state: BrokerState;
  /** Absent in histories recorded before workflow states were checked: unsent intents stay unconfirmed. */
  workflows?: OrderWorkflowStates;
}

export function createReconciliationActivities(deps: { pool: Pool }) {
  const { pool } = deps;
  return {
    /** Asks Temporal about every workflow that owns a not-yet-final order (the worker's own client). */
    async describeOrderWorkflows(input: { tenantId: number }): Promise<OrderWorkflowStates> {
      const checkedAt = new Date().toISOString();
      const ids = await withTenant(pool, input.tenantId, workflowsWithOpenOrders);
      const client = Context.current().client;
      const workflows: Record<string, OrderWorkflowStatus> = {};
      for (const id of ids) {
        try {
          workflows[id] = (await client.workflow.getHandle(id).describe()).status.name;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          workflows[id] = 'NOT_FOUND';
        }
        Context.current().heartbeat();
      }
      return { checkedAt, workflows };
    },

    async applyReconciliation(input: ApplyReconciliationInput): Promise<ReconciliationVerdict> {
      return withTenant(pool, input.tenantId, (tx) => reconcile(tx, input));
    },

    async recordReconciliationVerdict(input: {
      tenantId: number;
      verdict: ReconciliationVerdict;
      trigger: string;
    }): Promise<void> {
      const wf = Context.current().info.workflowExecution!;
      const v = input.verdict;
      const unresolved = v.mismatches.filter((m) => !m.resolved);
      await withTenant(pool, input.tenantId, async (tx) => {
        await recordReconciliationRun(tx, {
          workflowId: wf.workflowId,
          runId: wf.runId,
          clean: v.clean,
          ledgerOrders: v.ledgerOrders,
          // Verdicts recorded before rows were accounted for carry no count.
          accountedOrders: v.accountedOrders ?? v.ledgerOrders,
          brokerOrders: v.brokerOrders,
          mismatches: v.mismatches,
        });
        await setReconciliationState(tx, { clean: v.clean, unresolved, workflowId: wf.workflowId });
        await auditIn(tx.client, input.tenantId, null, 'reconciliation.completed', {
          workflowId: wf.workflowId,
          trigger: input.trigger,
          clean: v.clean,
          ledgerOrders: v.ledgerOrders,
          accountedOrders: v.accountedOrders,
          brokerOrders: v.brokerOrders,
          unresolved: unresolved.length,
          mismatches: v.mismatches.length,
        });
      });
      reconciliationVerdicts.inc({ verdict: v.clean ? 'clean' : 'mismatch', trigger: input.trigger });
    },
  };
}

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;

async function reconcile(tx: TenantTx, input: ApplyReconciliationInput): Promise<ReconciliationVerdict> {
  const { tenantId, state } = input;
  const mismatches: Mismatch[] = [];
  const ledger = await ledgerOrders(tx);
  const rows = new Set(ledger.map((o) => o.tag));
  const accounted = new Set<string>();
  const workflowOf = (o: Pick<LedgerOrder, 'workflowId'>) =>
    o.workflowId === null ? {} : { workflowId: o.workflowId, workflowStatus: input.workflows?.workflows[o.workflowId] };

  // 1. Broker orders onto ledger rows.
  const byTag = new Map(ledger.map((o) => [o.tag, o]));
  const byBrokerId = new Map(ledger.filter((o) => o.brokerOrderId).map((o) => [o.brokerOrderId!, o]));
  const tagCounts = new Map<string, number>();
  for (const b of state.orders) if (b.tag) tagCounts.set(b.tag, (tagCounts.get(b.tag) ?? 0) + 1);
  const finished = await finishedDecisionIds(tx);
  for (const b of state.orders) {
    // Tag first, then broker order id. A tag whose ledger row already names another broker
    // order is a duplicate: it is booked as its own external order (so its fills and
    // position are accounted) and flagged, never merged into ours.
    let row = b.tag ? byTag.get(b.tag) : undefined;
    if (row?.brokerOrderId && row.brokerOrderId !== b.brokerOrderId) row = undefined;
    row ??= byBrokerId.get(b.brokerOrderId);
    const fresh = !row;
    row ??= await recordExternal(tx, state, b, mismatches);
    rows.add(row.tag);
    accounted.add(row.tag);
    if (b.tag && (tagCounts.get(b.tag) ?? 0) > 1) {
      tagCounts.set(b.tag, 0); // report once
      mismatches.push({
        kind: 'duplicate_tag',
        resolved: false,
        tag: b.tag,
        detail: `several broker orders carry tag ${b.tag}`,
      });
    }
    const linking = !fresh && !row.brokerOrderId;
    if (linking) mismatches.push(linkMismatch(row, b, finished, workflowOf(row)));
    const out = await syncOrderFromBroker(tx, row.tag, b, state.trades);
    // A new row or a newly linked one is reported as such; only known orders report a status change.
    mismatches.push(...syncedMismatches(row, b, fresh || linking ? { ...out, statusChanged: false } : out));
    const wf = workflowOf(row);
    if (!fresh && !isFinalStatus(b.status) && wf.workflowStatus && abandoning(wf.workflowStatus))
      mismatches.push({
        kind: 'abandoned_order',
        resolved: true,
        tag: row.tag,
        brokerOrderId: b.brokerOrderId,
        ...wf,
        detail:
          `${b.status} at the broker and its workflow is ${wf.workflowStatus}: ` +
          'nothing will fill-manage or cancel it',
      });
  }

  // 2. Ledger rows no broker order matched.
  const horizonStart = state.horizon === 'day' ? istEpochMs(istParts(Date.parse(state.fetchedAt)).date, 0) : null;
  const atBroker = new Set(state.orders.map((o) => o.brokerOrderId));
  for (const o of ledger) {
    if (accounted.has(o.tag) || (o.brokerOrderId && atBroker.has(o.brokerOrderId))) {
      accounted.add(o.tag);
      continue;
    }
    if (o.brokerOrderId) {
      const inHorizon = horizonStart === null || o.createdAt.getTime() >= horizonStart;
      // Before the horizon the broker no longer lists it: final rows were settled then.
      if (!inHorizon && isFinalStatus(o.status)) accounted.add(o.tag);
      else
        mismatches.push({
          kind: 'missing_at_broker',
          resolved: false,
          tag: o.tag,
          brokerOrderId: o.brokerOrderId,
          detail: inHorizon
            ? 'in the ledger with a broker order id the broker does not list'
            : `${o.status} in the ledger and older than the broker's order book: its outcome is unknown`,
        });
      continue;
    }
    // Never confirmed at the broker. Final rows (denied, rejected, closed) never reached it.
    if (isFinalStatus(o.status)) {
      accounted.add(o.tag);
      continue;
    }
    const wf = workflowOf(o);
    const verdict = judgeUnconfirmedIntent(o, {
      workflowStatus: wf.workflowStatus,
      checkedAt: input.workflows ? Date.parse(input.workflows.checkedAt) : null,
      fetchedAt: Date.parse(state.fetchedAt),
      settleMs: state.settleMs ?? DEFAULT_SETTLE_MS,
      horizonStart,
    });
    if (verdict.action === 'unconfirmed') {
      mismatches.push({ kind: 'intent_unconfirmed', resolved: false, tag: o.tag, ...wf, detail: verdict.detail });
      continue;
    }
    accounted.add(o.tag);
    // A placement holding the tag's lock may be sending it right now: in flight, not closed.
    if (verdict.action === 'close' && (await closeNeverSent(tx, o.tag, verdict.detail)))
      mismatches.push({ kind: 'intent_never_sent', resolved: true, tag: o.tag, ...wf, detail: verdict.detail });
  }

  // 3. Positions: ours (derived from fills) against the broker's net positions.
  const ours = new Map((await ledgerPositions(tx)).map((p) => [p.tradingsymbol, p.quantity]));
  const theirs = new Map(state.positions.map((p) => [p.tradingsymbol, p.quantity]));
  for (const sym of [...new Set([...ours.keys(), ...theirs.keys()])].sort()) {
    const a = ours.get(sym) ?? 0;
    const b = theirs.get(sym) ?? 0;
    if (a !== b)
      mismatches.push({
        kind: 'position_mismatch',
        resolved: false,
        tradingsymbol: sym,
        detail: `ledger ${a}, broker ${b}`,
      });
  }
  return {
    tenantId,
    clean: mismatches.every((m) => m.resolved) && accounted.size === rows.size,
    ledgerOrders: rows.size,
    accountedOrders: accounted.size,
    brokerOrders: state.orders.length,
    mismatches,
  };
}

/** Failed, terminated, timed out or cancelled: it stopped without finishing its orders. */
const abandoning = (s: OrderWorkflowStatus) => s !== 'COMPLETED' && GONE_WORKFLOW_STATUSES.includes(s);

/** A broker order no ledger row knows: recorded as an external order (once). */
async function recordExternal(
  tx: TenantTx,
  state: BrokerState,
  b: BrokerOrder,
  mismatches: Mismatch[],
): Promise<LedgerOrder> {
  const tag = `ext:${b.brokerOrderId}`;
  const inserted = await recordOrderIntents(tx, [
    {
      tag,
      decisionId: null,
      legIndex: null,
      purpose: 'external',
      workflowId: null,
      runId: null,
      broker: state.broker,
      instrument: instrumentOfSymbol(b.tradingsymbol) ?? 'UNKNOWN',
      tradingsymbol: b.tradingsymbol,
      expiry: null,
      strike: null,
      optionType: null,
      side: b.side,
      quantity: b.quantity,
      orderType: b.orderType,
      limitPrice: b.price,
      status: b.status,
      external: true,
    },
  ]);
  if (inserted.length > 0)
    mismatches.push({
      kind: 'external_order',
      resolved: true,
      tag: b.tag ?? undefined,
      brokerOrderId: b.brokerOrderId,
      tradingsymbol: b.tradingsymbol,
      detail: `order placed outside Quantsentinel (tag ${b.tag ?? 'none'}): recorded as external`,
    });
  return (await ledgerOrder(tx, tag))!;
}

/**
 * The broker has an order for an intent the ledger never confirmed. Linked — unless the intent
 * had been settled as not placed (closed as never sent, or its placement finished without it):
 * then an order nobody accounted for is live, and that stays unresolved.
 */
function linkMismatch(
  row: LedgerOrder,
  b: BrokerOrder,
  finished: ReadonlySet<string>,
  wf: { workflowId?: string; workflowStatus?: OrderWorkflowStatus },
): Mismatch {
  const base = { tag: row.tag, brokerOrderId: b.brokerOrderId, tradingsymbol: b.tradingsymbol, ...wf };
  if (row.resolution === 'never_sent')
    return {
      ...base,
      kind: 'orphan_order',
      resolved: false,
      detail: 'an intent closed as never sent appeared at the broker',
    };
  if (row.status === 'SUBMITTED' && row.decisionId && finished.has(row.decisionId))
    return {
      ...base,
      kind: 'orphan_order',
      resolved: false,
      detail: 'an order whose placement had finished as not placed appeared at the broker',
    };
  const owner = wf.workflowStatus ? ` (its workflow is ${wf.workflowStatus})` : '';
  return {
    ...base,
    kind: 'intent_linked',
    resolved: true,
    detail: `${row.status} in the ledger, ${b.status} at the broker by its tag: linked${owner}`,
  };
}
