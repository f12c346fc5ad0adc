/** Trades: one row per structure that was placed (or refused), the head of its provenance chain. */
import { eq } from 'drizzle-orm';
import { trades } from './schema';
import type { TenantTx } from './tenant';

export interface TradeRow {
  id: string;
  decisionId: string;
  workflowId: string;
  runId: string;
  structure: string;
  instrument: string;
  status: string;
  reason: string | null;
  legTags: readonly string[];
  costBreakdown: unknown;
  totalCosts: string;
}

/** Idempotent on the trade id; a later run of the same decision updates the outcome. */
export async function upsertTrade(tx: TenantTx, t: TradeRow): Promise<void> {
  await tx.client.query(
    `INSERT INTO trades (tenant_id, id, decision_id, workflow_id, run_id, structure, instrument, status, reason,
                         leg_tags, cost_breakdown, total_costs)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12)
     ON CONFLICT (tenant_id, id) DO UPDATE SET status = EXCLUDED.status, reason = EXCLUDED.reason,
       leg_tags = EXCLUDED.leg_tags, cost_breakdown = EXCLUDED.cost_breakdown, total_costs = EXCLUDED.total_costs,
       run_id = EXCLUDED.run_id`,
    [
      tx.tenantId,
      t.id,
      t.decisionId,
      t.workflowId,
      t.runId,
      t.structure,
      t.instrument,
      t.status,
      t.reason,
      JSON.stringify(t.legTags),
      JSON.stringify(t.costBreakdown),
      t.totalCosts,
    ],
  );
}

/** Decisions whose placement has finished (a trade row exists, whatever its outcome). */
export async function finishedDecisionIds(tx: TenantTx): Promise<Set<string>> {
  const rows = await tx.db.select({ id: trades.decisionId }).from(trades).where(eq(trades.tenantId, tx.tenantId));
  return new Set(rows.map((r) => r.id));
}
