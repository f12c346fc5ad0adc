/**
 * Provenance in one query: a decision → its trades → their orders (legs and tags, workflow and
 * run ids) → fills → costs; or one trade's chain headed by the trade row. RLS keeps both to the
 * tenant.
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

/** One trade as JSON: its row, its legs' orders (by the trade's tags) with their fills, its costs. */
const TRADE_JSON = `json_build_object(
  'tradeId', t.id, 'status', t.status, 'reason', t.reason, 'workflowId', t.workflow_id, 'runId', t.run_id,
  'structure', t.structure, 'instrument', t.instrument,
  'decision', (SELECT json_build_object('id', d.id, 'tradingDate', d.trading_date::text, 'status', d.status,
          'snapshotId', d.snapshot_id, 'modelVersions', d.model_versions, 'gateOutcomes', d.gate_outcomes,
          'workflowId', d.workflow_id, 'runId', d.run_id)
     FROM decisions d WHERE d.tenant_id = t.tenant_id AND d.id = t.decision_id),
  'legs', COALESCE((SELECT json_agg(json_build_object(
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
      AND o.tag IN (SELECT jsonb_array_elements_text(t.leg_tags))), '[]'::json),
  'costs', json_build_object('total', t.total_costs::text, 'breakdown', t.cost_breakdown))`;

const TRADE_QUERY = `SELECT ${TRADE_JSON} AS trade FROM trades t WHERE t.tenant_id = $1 AND t.id = $2`;

export async function tradeProvenance(pool: Pool, tenantId: number, tradeId: string): Promise<TradeProvenance | null> {
  return withTenant(
    pool,
    tenantId,
    async ({ client }) =>
      (await client.query<{ trade: TradeProvenance }>(TRADE_QUERY, [tenantId, tradeId])).rows[0]?.trade ?? null,
  );
}

/** A decision's row as the provenance chain heads it; `why` is the whole decision decide stored. */
export interface DecisionProvenance {
  decision: {
    id: string;
    tradingDate: string;
    /** decide's verdict, then the placement's outcome once a trade is recorded (filled, unwound, …). */
    status: string;
    structure: string;
    instrument: string;
    lots: number;
    snapshotId: string | null;
    modelVersions: unknown;
    gateOutcomes: unknown;
    expectedPnl: string | null;
    netEv: string | null;
    workflowId: string;
    runId: string;
    createdAt: string;
    why: unknown;
  };
  /** The trades the decision led to, each with its orders and their fills (empty: nothing placed). */
  trades: TradeProvenance[];
}

const DECISION_QUERY = `
SELECT json_build_object('id', d.id, 'tradingDate', d.trading_date::text, 'status', d.status,
         'structure', d.structure, 'instrument', d.instrument, 'lots', d.lots, 'snapshotId', d.snapshot_id,
         'modelVersions', d.model_versions, 'gateOutcomes', d.gate_outcomes,
         'expectedPnl', d.expected_pnl::text, 'netEv', d.net_ev::text,
         'workflowId', d.workflow_id, 'runId', d.run_id, 'createdAt', d.created_at, 'why', d.why) AS decision,
  COALESCE((SELECT json_agg(${TRADE_JSON} ORDER BY t.created_at, t.id)
              FROM trades t WHERE t.tenant_id = d.tenant_id AND t.decision_id = d.id), '[]'::json) AS trades
FROM decisions d WHERE d.tenant_id = $1 AND d.id = $2`;

/** The chain from a decision to its fills in one query: decision (the whole why) → trades → orders → fills. */
export async function decisionProvenance(
  pool: Pool,
  tenantId: number,
  decisionId: string,
): Promise<DecisionProvenance | null> {
  return withTenant(
    pool,
    tenantId,
    async ({ client }) =>
      (await client.query<DecisionProvenance>(DECISION_QUERY, [tenantId, decisionId])).rows[0] ?? null,
  );
}
