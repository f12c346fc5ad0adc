/**
 * Reconciliation (trading queue, database only): a broker snapshot (fetched on the broker
 * queue, recorded in the workflow history) against our ledger. Orders match by tag, then by
 * broker order id; broker truth is synced in (status, fills, inferred fills for fills without
 * trades); orders we never placed are recorded as external; ledger orders the broker does not
 * know and positions that differ are unresolved, and anything unresolved marks the tenant not
 * clean: new orders are refused until a later reconciliation comes back clean (fail closed).
 */
import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { auditIn } from '../db/audit';
import { ledgerOrder, ledgerOrders, ledgerPositions, recordOrderIntents, syncOrderFromBroker } from '../db/ledger';
import { withTenant } from '../db/tenant';
import { istEpochMs, istParts } from '../domain/dates';
import { instrumentOfSymbol } from '../broker/tradingsymbol';
import type { Mismatch, ReconciliationVerdict } from '../contracts/orders';
import type { BrokerState } from './broker-orders';

export function createReconciliationActivities(deps: { pool: Pool }) {
  const { pool } = deps;
  return {
    async applyReconciliation(input: { tenantId: number; state: BrokerState }): Promise<ReconciliationVerdict> {
      const { tenantId, state } = input;
      return withTenant(pool, tenantId, async ({ client: c }) => {
        const mismatches: Mismatch[] = [];
        const ledger = await ledgerOrders(c, tenantId);
        const byTag = new Map(ledger.map((o) => [o.tag, o]));
        const byBrokerId = new Map(ledger.filter((o) => o.brokerOrderId).map((o) => [o.brokerOrderId!, o]));
        const tagCounts = new Map<string, number>();
        for (const b of state.orders) if (b.tag) tagCounts.set(b.tag, (tagCounts.get(b.tag) ?? 0) + 1);
        const finished = new Set(
          (
            await c.query<{ decision_id: string }>('SELECT decision_id FROM trades WHERE tenant_id = $1', [tenantId])
          ).rows.map((r) => r.decision_id),
        );

        for (const b of state.orders) {
          // Tag first, then broker order id. A tag whose ledger row already names another broker
          // order is a duplicate: it is booked as its own external order (so its fills and
          // position are accounted) and flagged, never merged into ours.
          let row = b.tag ? byTag.get(b.tag) : undefined;
          if (row?.brokerOrderId && row.brokerOrderId !== b.brokerOrderId) row = undefined;
          row ??= byBrokerId.get(b.brokerOrderId);
          const fresh = !row;
          if (!row) {
            const tag = `ext:${b.brokerOrderId}`;
            const inserted = await recordOrderIntents(c, tenantId, [
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
            row = (await ledgerOrder(c, tenantId, tag))!;
          }
          if (b.tag && (tagCounts.get(b.tag) ?? 0) > 1) {
            tagCounts.set(b.tag, 0); // report once
            mismatches.push({
              kind: 'duplicate_tag',
              resolved: false,
              tag: b.tag,
              detail: `several broker orders carry tag ${b.tag}`,
            });
          }
          if (!row.brokerOrderId && row.status === 'SUBMITTED' && row.decisionId && finished.has(row.decisionId)) {
            mismatches.push({
              kind: 'orphan_order',
              resolved: false,
              tag: row.tag,
              brokerOrderId: b.brokerOrderId,
              tradingsymbol: b.tradingsymbol,
              detail: 'an order whose placement had finished as not placed appeared at the broker',
            });
          }
          const was = `${row.status}|${row.filledQuantity}`;
          const out = await syncOrderFromBroker(c, tenantId, row.tag, b, state.trades);
          if (!fresh && out.statusChanged && was !== `${b.status}|${Math.min(b.filledQuantity, row.quantity)}`) {
            mismatches.push({
              kind: 'status_synced',
              resolved: true,
              tag: row.tag,
              brokerOrderId: b.brokerOrderId,
              detail: `ledger ${was} → broker ${b.status}|${b.filledQuantity}`,
            });
          }
          if (out.inferredQuantity > 0)
            mismatches.push({
              kind: 'inferred_fill',
              resolved: true,
              tag: row.tag,
              brokerOrderId: b.brokerOrderId,
              detail: `${out.inferredQuantity} units filled without a trade record: inferred fill`,
            });
        }

        // Ledger orders the broker should know (inside its order-book horizon) but does not.
        const horizonStart = state.horizon === 'day' ? istEpochMs(istParts(Date.parse(state.fetchedAt)).date, 0) : null;
        const atBroker = new Set(state.orders.map((o) => o.brokerOrderId));
        const expected = ledger.filter(
          (o) => o.brokerOrderId && (horizonStart === null || o.createdAt.getTime() >= horizonStart),
        );
        for (const o of expected) {
          if (!atBroker.has(o.brokerOrderId!))
            mismatches.push({
              kind: 'missing_at_broker',
              resolved: false,
              tag: o.tag,
              brokerOrderId: o.brokerOrderId!,
              detail: 'in the ledger with a broker order id the broker does not list',
            });
        }

        // Positions: ours (derived from fills) against the broker's net positions.
        const ours = new Map((await ledgerPositions(c, tenantId)).map((p) => [p.tradingsymbol, p.quantity]));
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
        const ledgerCount = (
          await c.query<{ n: string }>(
            'SELECT count(*)::text AS n FROM orders WHERE tenant_id = $1 AND broker_order_id IS NOT NULL AND ($2::timestamptz IS NULL OR created_at >= $2::timestamptz)',
            [tenantId, horizonStart === null ? null : new Date(horizonStart).toISOString()],
          )
        ).rows[0]!.n;
        return {
          tenantId,
          clean: mismatches.every((m) => m.resolved),
          ledgerOrders: Number(ledgerCount),
          brokerOrders: state.orders.length,
          mismatches,
        };
      });
    },

    async recordReconciliationVerdict(input: {
      tenantId: number;
      verdict: ReconciliationVerdict;
      trigger: string;
    }): Promise<void> {
      const wf = Context.current().info.workflowExecution!;
      const v = input.verdict;
      const unresolved = v.mismatches.filter((m) => !m.resolved);
      await withTenant(pool, input.tenantId, async ({ client: c }) => {
        await c.query(
          `INSERT INTO reconciliation_runs (tenant_id, workflow_id, run_id, clean, ledger_orders, broker_orders, mismatches)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) ON CONFLICT DO NOTHING`,
          [
            input.tenantId,
            wf.workflowId,
            wf.runId,
            v.clean,
            v.ledgerOrders,
            v.brokerOrders,
            JSON.stringify(v.mismatches),
          ],
        );
        await c.query(
          `INSERT INTO tenant_trading_state (tenant_id, reconciliation_clean, unresolved, last_reconciled_at, last_reconciliation_workflow_id)
           VALUES ($1, $2, $3::jsonb, now(), $4)
           ON CONFLICT (tenant_id) DO UPDATE SET reconciliation_clean = EXCLUDED.reconciliation_clean, unresolved = EXCLUDED.unresolved,
             last_reconciled_at = EXCLUDED.last_reconciled_at, last_reconciliation_workflow_id = EXCLUDED.last_reconciliation_workflow_id`,
          [input.tenantId, v.clean, JSON.stringify(unresolved), wf.workflowId],
        );
        await auditIn(c, input.tenantId, null, 'reconciliation.completed', {
          workflowId: wf.workflowId,
          trigger: input.trigger,
          clean: v.clean,
          ledgerOrders: v.ledgerOrders,
          brokerOrders: v.brokerOrders,
          unresolved: unresolved.length,
          mismatches: v.mismatches.length,
        });
      });
    },
  };
}

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;
