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
