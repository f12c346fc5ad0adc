/** The trading day summary rows (one per tenant and date) and the figures the summary reads. */
import { and, eq, inArray, isNotNull, notInArray, sql } from 'drizzle-orm';
import { FINAL_STATUSES } from '../domain/orders';
import { orders, positions, trades, tradingDays } from './schema';
import type { TenantTx } from './tenant';

export interface TradingDayRow {
  tradingDate: string;
  workflowId: string;
  runId: string;
  mode: string;
  status: string;
  finalState: string;
  decisions: number;
  trades: number;
  refusals: Record<string, number>;
  pnl: string;
  costs: string;
  maxDrawdown: string;
  summary: unknown;
}

/** Idempotent on (tenant, date): a re-run of the day's last step rewrites the same row. */
export async function upsertTradingDay(tx: TenantTx, r: TradingDayRow): Promise<void> {
  await tx.client.query(
    `INSERT INTO trading_days (tenant_id, trading_date, workflow_id, run_id, mode, status, final_state, decisions,
                               trades, refusals, pnl, costs, max_drawdown, summary)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14::jsonb)
     ON CONFLICT (tenant_id, trading_date) DO UPDATE SET workflow_id = EXCLUDED.workflow_id,
       run_id = EXCLUDED.run_id, mode = EXCLUDED.mode, status = EXCLUDED.status, final_state = EXCLUDED.final_state,
       decisions = EXCLUDED.decisions, trades = EXCLUDED.trades, refusals = EXCLUDED.refusals, pnl = EXCLUDED.pnl,
       costs = EXCLUDED.costs, max_drawdown = EXCLUDED.max_drawdown, summary = EXCLUDED.summary`,
    [
      tx.tenantId,
      r.tradingDate,
      r.workflowId,
      r.runId,
      r.mode,
      r.status,
      r.finalState,
      r.decisions,
      r.trades,
      JSON.stringify(r.refusals),
      r.pnl,
      r.costs,
      r.maxDrawdown,
      JSON.stringify(r.summary),
    ],
  );
}

export async function tradingDay(tx: TenantTx, date: string): Promise<TradingDayRow | undefined> {
  const [row] = await tx.db
    .select()
    .from(tradingDays)
    .where(and(eq(tradingDays.tenantId, tx.tenantId), eq(tradingDays.tradingDate, date)));
  return row && { ...row, refusals: row.refusals as Record<string, number> };
}

/** Σ total costs of the given decisions' trade rows (exact, as text). */
export async function costsOfDecisions(tx: TenantTx, decisionIds: readonly string[]): Promise<string> {
  if (decisionIds.length === 0) return '0.00';
  const [row] = await tx.db
    .select({ total: sql<string>`coalesce(sum(${trades.totalCosts}), 0)::text` })
    .from(trades)
    .where(and(eq(trades.tenantId, tx.tenantId), inArray(trades.decisionId, [...decisionIds])));
  return row?.total ?? '0.00';
}

/** The ledger's positions with their realised P&L, open ones and closed ones alike. */
export async function bookPositions(
  tx: TenantTx,
): Promise<
  Array<{ tradingsymbol: string; instrument: string; quantity: number; averagePrice: string; realizedPnl: string }>
> {
  return tx.db
    .select({
      tradingsymbol: positions.tradingsymbol,
      instrument: positions.instrument,
      quantity: positions.quantity,
      averagePrice: positions.averagePrice,
      realizedPnl: positions.realizedPnl,
    })
    .from(positions)
    .where(eq(positions.tenantId, tx.tenantId))
    .orderBy(positions.tradingsymbol);
}

/** Orders of the given decisions still working at the broker (sent, not final): the day cancels them at its close. */
export async function workingOrdersOf(
  tx: TenantTx,
  decisionIds: readonly string[],
): Promise<Array<{ tag: string; brokerOrderId: string | null }>> {
  if (decisionIds.length === 0) return [];
  return tx.db
    .select({ tag: orders.tag, brokerOrderId: orders.brokerOrderId })
    .from(orders)
    .where(
      and(
        eq(orders.tenantId, tx.tenantId),
        inArray(orders.decisionId, [...decisionIds]),
        isNotNull(orders.brokerOrderId),
        notInArray(orders.status, [...FINAL_STATUSES]),
      ),
    )
    .orderBy(orders.tag);
}
