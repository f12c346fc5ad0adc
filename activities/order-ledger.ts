/**
 * Trading-queue activities of OrderPlacement (database only): the fail-closed gate, order
 * intents, and the trade row that heads the provenance chain (with costs from the domain
 * cost engine on the actual fills).
 */
import type { Pool } from 'pg';
import { Context } from '@temporalio/activity';
import { auditIn } from '../db/audit';
import { recordOrderIntents, type OrderIntent } from '../db/ledger';
import { withTenant } from '../db/tenant';
import { computeCosts, type CostLeg } from '../domain/costs';
import { lotSize, type Instrument } from '../domain/instruments';
import type { StructureOutcome } from '../contracts/orders';

export interface GateInput {
  tenantId: number;
  decisionId: string;
  instrument: string;
  structure: string;
}

export interface GateVerdict {
  allowed: boolean;
  reasons: string[];
}

export interface IntentsInput {
  tenantId: number;
  decision?: { id: string; tradingDate: string; structure: string; instrument: string; lots: number };
  orders: Array<Omit<OrderIntent, 'broker' | 'workflowId' | 'runId'>>;
}

export interface RecordTradeInput {
  tenantId: number;
  decisionId: string;
  structure: string;
  instrument: string;
  tradingDate: string;
  status: StructureOutcome;
  reason: string | null;
  legTags: string[];
  allTags: string[];
}

function workflowOf(): { workflowId: string; runId: string } {
  const wf = Context.current().info.workflowExecution;
  if (!wf) throw new Error('this activity must run inside a workflow');
  return wf;
}

export function createOrderActivities(deps: { pool: Pool }) {
  const { pool } = deps;
  return {
    /** New orders only when the tenant is active, reconciled clean and no kill switch applies. */
    async checkTradingGate(input: GateInput): Promise<GateVerdict> {
      return withTenant(pool, input.tenantId, async ({ client }) => {
        const reasons: string[] = [];
        const t = await client.query<{ status: string }>('SELECT status FROM tenants WHERE id = $1', [input.tenantId]);
        if (t.rows[0]?.status !== 'active') reasons.push(`tenant is ${t.rows[0]?.status ?? 'unknown'}`);
        const kills = await client.query<{ scope: string; target: string; reason: string }>(
          `SELECT scope, target, reason FROM kill_switches WHERE tenant_id = $1 AND active
              AND (scope = 'tenant' OR (scope = 'instrument' AND target = $2) OR (scope = 'strategy' AND target = $3)) ORDER BY scope`,
          [input.tenantId, input.instrument, input.structure],
        );
        for (const k of kills.rows)
          reasons.push(`kill switch (${k.scope}${k.scope === 'tenant' ? '' : ` ${k.target}`}): ${k.reason}`);
        const st = await client.query<{ reconciliation_clean: boolean; unresolved: unknown[] }>(
          'SELECT reconciliation_clean, unresolved FROM tenant_trading_state WHERE tenant_id = $1',
          [input.tenantId],
        );
        if (st.rows[0] && !st.rows[0].reconciliation_clean)
          reasons.push(`reconciliation is not clean (${st.rows[0].unresolved.length} unresolved)`);
        if (reasons.length > 0)
          await auditIn(client, input.tenantId, null, 'orders.refused', { decisionId: input.decisionId, reasons });
        return { allowed: reasons.length === 0, reasons };
      });
    },

    /** The decision row (if new) and one order row per tag, written once whatever the retries. */
    async recordOrderIntents(input: IntentsInput): Promise<{ inserted: string[] }> {
      const wf = workflowOf();
      return withTenant(pool, input.tenantId, async ({ client }) => {
        const acct = await client.query<{ broker: string }>('SELECT broker FROM broker_accounts WHERE tenant_id = $1', [
          input.tenantId,
        ]);
        const broker = acct.rows[0]?.broker ?? 'paper';
        if (input.decision) {
          const d = input.decision;
          await client.query(
            `INSERT INTO decisions (tenant_id, id, trading_date, workflow_id, run_id, structure, instrument, lots, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'placing') ON CONFLICT (tenant_id, id) DO NOTHING`,
            [input.tenantId, d.id, d.tradingDate, wf.workflowId, wf.runId, d.structure, d.instrument, d.lots],
          );
        }
        const inserted = await recordOrderIntents(
          client,
          input.tenantId,
          input.orders.map((o) => ({ ...o, broker, workflowId: wf.workflowId, runId: wf.runId })),
        );
        if (inserted.length > 0)
          await auditIn(client, input.tenantId, null, 'orders.intents_recorded', {
            workflowId: wf.workflowId,
            tags: inserted,
          });
        return { inserted };
      });
    },

    /** The trade row for the structure (idempotent on the decision id) with exact costs of what filled. */
    async recordTrade(input: RecordTradeInput): Promise<{ tradeId: string; totalCosts: string }> {
      const wf = workflowOf();
      return withTenant(pool, input.tenantId, async ({ client }) => {
        const { rows } = await client.query<{
          tag: string;
          side: 'BUY' | 'SELL';
          instrument: string;
          qty: string;
          notional: string;
        }>(
          `SELECT o.tag, o.side, o.instrument, sum(f.quantity)::text AS qty, sum(f.quantity * f.price)::text AS notional
             FROM orders o JOIN fills f ON f.tenant_id = o.tenant_id AND f.order_tag = o.tag
            WHERE o.tenant_id = $1 AND o.tag = ANY($2::text[]) GROUP BY o.tag, o.side, o.instrument ORDER BY o.tag`,
          [input.tenantId, input.allTags],
        );
        const costLegs: CostLeg[] = rows.map((r) => {
          const instrument = r.instrument as Instrument;
          const qty = Number(r.qty);
          return {
            instrument,
            kind: 'option',
            side: r.side,
            lots: qty / lotSize(instrument, input.tradingDate),
            price: (Number(r.notional) / qty).toFixed(4),
            date: input.tradingDate,
          };
        });
        const costs = costLegs.length > 0 ? computeCosts(costLegs) : null;
        const totalCosts = costs?.total ?? '0.00';
        await client.query(
          `INSERT INTO trades (tenant_id, id, decision_id, workflow_id, run_id, structure, instrument, status, reason, leg_tags, cost_breakdown, total_costs)
           VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11)
           ON CONFLICT (tenant_id, id) DO UPDATE SET status = EXCLUDED.status, reason = EXCLUDED.reason, leg_tags = EXCLUDED.leg_tags,
             cost_breakdown = EXCLUDED.cost_breakdown, total_costs = EXCLUDED.total_costs, run_id = EXCLUDED.run_id`,
          [
            input.tenantId,
            input.decisionId,
            wf.workflowId,
            wf.runId,
            input.structure,
            input.instrument,
            input.status,
            input.reason,
            JSON.stringify(input.allTags),
            JSON.stringify(costs ?? {}),
            totalCosts,
          ],
        );
        await client.query(
          'UPDATE decisions SET status = $3, cost_breakdown = $4::jsonb WHERE tenant_id = $1 AND id = $2',
          [input.tenantId, input.decisionId, input.status, JSON.stringify(costs ?? {})],
        );
        await auditIn(client, input.tenantId, null, 'trade.recorded', {
          tradeId: input.decisionId,
          workflowId: wf.workflowId,
          status: input.status,
          reason: input.reason,
          totalCosts,
        });
        return { tradeId: input.decisionId, totalCosts };
      });
    },
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
