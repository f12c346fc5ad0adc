/** Decisions as the API lists them: newest first, by date range and outcome, paged by a keyset cursor. */
import { and, desc, eq, gte, lte, lt, or, sql } from 'drizzle-orm';
import { decisions, trades } from './schema';
import type { TenantTx } from './tenant';

export interface DecisionFilter {
  from?: string;
  to?: string;
  status?: string;
  /** The last row of the previous page: rows strictly older than it. */
  before?: { at: string; id: string };
  limit: number;
}

export interface DecisionListRow {
  id: string;
  tradingDate: string;
  status: string;
  structure: string;
  instrument: string;
  lots: number;
  expectedPnl: string | null;
  netEv: string | null;
  workflowId: string;
  runId: string;
  createdAt: Date;
  /** created_at to the microsecond, as text: the page cursor (a Date keeps only milliseconds). */
  cursorAt: string;
}

export async function listDecisions(tx: TenantTx, f: DecisionFilter): Promise<DecisionListRow[]> {
  return tx.db
    .select({
      id: decisions.id,
      tradingDate: decisions.tradingDate,
      status: decisions.status,
      structure: decisions.structure,
      instrument: decisions.instrument,
      lots: decisions.lots,
      expectedPnl: decisions.expectedPnl,
      netEv: decisions.netEv,
      workflowId: decisions.workflowId,
      runId: decisions.runId,
      createdAt: decisions.createdAt,
      cursorAt: sql<string>`${decisions.createdAt}::text`,
    })
    .from(decisions)
    .where(
      and(
        eq(decisions.tenantId, tx.tenantId),
        f.from ? gte(decisions.tradingDate, f.from) : undefined,
        f.to ? lte(decisions.tradingDate, f.to) : undefined,
        f.status ? eq(decisions.status, f.status) : undefined,
        f.before
          ? or(
              sql`${decisions.createdAt} < ${f.before.at}::timestamptz`,
              and(sql`${decisions.createdAt} = ${f.before.at}::timestamptz`, lt(decisions.id, f.before.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(decisions.createdAt), desc(decisions.id))
    .limit(f.limit);
}

/** The trades a decision led to (its entry; flattens and square-offs are decisions of their own). */
export async function decisionTradeIds(tx: TenantTx, decisionId: string): Promise<string[]> {
  const rows = await tx.db
    .select({ id: trades.id })
    .from(trades)
    .where(and(eq(trades.tenantId, tx.tenantId), eq(trades.decisionId, decisionId)))
    .orderBy(trades.createdAt, sql`${trades.id}`);
  return rows.map((r) => r.id);
}
