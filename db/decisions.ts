/** Decisions: what was chosen, by which workflow run, and how it ended (status, costs). */
import { and, eq } from 'drizzle-orm';
import { decisions } from './schema';
import type { TenantTx } from './tenant';

export interface NewDecision {
  id: string;
  tradingDate: string;
  structure: string;
  instrument: string;
  lots: number;
  workflowId: string;
  runId: string;
}

/** Written once per decision id, whatever the retries. */
export async function recordDecision(tx: TenantTx, d: NewDecision): Promise<void> {
  await tx.db
    .insert(decisions)
    .values({ tenantId: tx.tenantId, ...d, status: 'placing' })
    .onConflictDoNothing({ target: [decisions.tenantId, decisions.id] });
}

export async function setDecisionOutcome(
  tx: TenantTx,
  id: string,
  outcome: { status: string; costBreakdown: unknown },
): Promise<void> {
  await tx.db
    .update(decisions)
    .set(outcome)
    .where(and(eq(decisions.tenantId, tx.tenantId), eq(decisions.id, id)));
}

export interface StoredDecision {
  id: string;
  tradingDate: string;
  status: string;
  snapshotId: string | null;
  modelVersions: unknown;
  gateOutcomes: unknown;
  costBreakdown: unknown;
  expectedPnl: string | null;
  netEv: string | null;
  why: unknown;
  workflowId: string;
  runId: string;
  createdAt: Date;
}

/** The full decision row written by decide: once per id (a repeated decide keeps the first). */
export async function insertDecision(
  tx: TenantTx,
  d: NewDecision & {
    status: string;
    snapshotId: string;
    modelVersions: unknown;
    gateOutcomes: unknown;
    costBreakdown: unknown;
    expectedPnl: string | null;
    netEv: string | null;
    why: unknown;
  },
): Promise<boolean> {
  const rows = await tx.db
    .insert(decisions)
    .values({ tenantId: tx.tenantId, ...d })
    .onConflictDoNothing({ target: [decisions.tenantId, decisions.id] })
    .returning({ id: decisions.id });
  return rows.length > 0;
}

export async function decisionById(tx: TenantTx, id: string): Promise<StoredDecision | undefined> {
  const [row] = await tx.db
    .select({
      id: decisions.id,
      tradingDate: decisions.tradingDate,
      status: decisions.status,
      snapshotId: decisions.snapshotId,
      modelVersions: decisions.modelVersions,
      gateOutcomes: decisions.gateOutcomes,
      costBreakdown: decisions.costBreakdown,
      expectedPnl: decisions.expectedPnl,
      netEv: decisions.netEv,
      why: decisions.why,
      workflowId: decisions.workflowId,
      runId: decisions.runId,
      createdAt: decisions.createdAt,
    })
    .from(decisions)
    .where(and(eq(decisions.tenantId, tx.tenantId), eq(decisions.id, id)));
  return row;
}
