/**
 * Provenance of a trade in one query: decision → workflow and run ids → legs and tags →
 * broker orders → fills → costs (the trade row heads the chain; RLS keeps it to the tenant).
 */
import type { Pool } from 'pg';
import { withTenant } from './tenant';

export interface TradeProvenance {
  tradeId: string;
  status: string;
  reason: string | null;
  workflowId: string;
  runId: string;
  structure: string;
  instrument: string;
  decision: {
    id: string;
    tradingDate: string;
    status: string;
    snapshotId: string | null;
    modelVersions: unknown;
    gateOutcomes: unknown;
    workflowId: string;
    runId: string;
  } | null;
  legs: Array<{
    tag: string;
    purpose: string;
    legIndex: number | null;
    tradingsymbol: string;
    side: string;
    quantity: number;
    limitPrice: string | null;
    brokerOrderId: string | null;
    status: string;
    filledQuantity: number;
    averagePrice: string | null;
    workflowId: string | null;
    runId: string | null;
    fills: Array<{ id: string; quantity: number; price: string; filledAt: string; inferred: boolean }>;
  }>;
  costs: { total: string; breakdown: Record<string, unknown> };
}

const QUERY = `
SELECT t.id AS "tradeId", t.status, t.reason, t.workflow_id AS "workflowId", t.run_id AS "runId",
  t.structure, t.instrument,
  (SELECT json_build_object('id', d.id, 'tradingDate', d.trading_date::text, 'status', d.status,
          'snapshotId', d.snapshot_id, 'modelVersions', d.model_versions, 'gateOutcomes', d.gate_outcomes,
          'workflowId', d.workflow_id, 'runId', d.run_id)
     FROM decisions d WHERE d.tenant_id = t.tenant_id AND d.id = t.decision_id) AS decision,
  COALESCE((SELECT json_agg(json_build_object(
      'tag', o.tag, 'purpose', o.purpose, 'legIndex', o.leg_index, 'tradingsymbol', o.tradingsymbol,
      'side', o.side, 'quantity', o.quantity,
      'limitPrice', o.limit_price::text, 'brokerOrderId', o.broker_order_id, 'status', o.status,
      'filledQuantity', o.filled_quantity,
      'averagePrice', o.average_price::text, 'workflowId', o.workflow_id, 'runId', o.run_id,
      'fills', COALESCE((SELECT json_agg(json_build_object('id', f.id, 'quantity', f.quantity, 'price', f.price::text,
                                                       'filledAt', f.filled_at, 'inferred', f.inferred)
                                     ORDER BY f.filled_at, f.id)
                          FROM fills f WHERE f.tenant_id = o.tenant_id AND f.order_tag = o.tag), '[]'::json))
      ORDER BY o.id)
     FROM orders o WHERE o.tenant_id = t.tenant_id
      AND o.tag IN (SELECT jsonb_array_elements_text(t.leg_tags))), '[]'::json) AS legs,
  json_build_object('total', t.total_costs::text, 'breakdown', t.cost_breakdown) AS costs
FROM trades t WHERE t.tenant_id = $1 AND t.id = $2`;

export async function tradeProvenance(pool: Pool, tenantId: number, tradeId: string): Promise<TradeProvenance | null> {
  return withTenant(
    pool,
    tenantId,
    async ({ client }) => (await client.query<TradeProvenance>(QUERY, [tenantId, tradeId])).rows[0] ?? null,
  );
}
