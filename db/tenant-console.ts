/**
 * What the tenant API reads and changes that no other module owns yet: the audit log by page,
 * the last reconciliation verdicts, kill switches set and cleared (each change audited in the
 * same transaction).
 */
import { and, desc, eq, lt } from 'drizzle-orm';
import { auditLog, killSwitches, reconciliationRuns } from './schema';
import { auditIn } from './audit';
import type { TenantTx } from './tenant';

/** Newest first; `before` is the seq to page below (exclusive). */
export async function auditPage(tx: TenantTx, page: { limit: number; before?: number }) {
  return tx.db
    .select({
      seq: auditLog.seq,
      userId: auditLog.userId,
      eventType: auditLog.eventType,
      payload: auditLog.payload,
      createdAt: auditLog.createdAt,
      hash: auditLog.hash,
    })
    .from(auditLog)
    .where(
      and(eq(auditLog.tenantId, tx.tenantId), page.before === undefined ? undefined : lt(auditLog.seq, page.before)),
    )
    .orderBy(desc(auditLog.seq))
    .limit(page.limit);
}

export async function lastReconciliations(tx: TenantTx, limit: number) {
  return tx.db
    .select({
      workflowId: reconciliationRuns.workflowId,
      runId: reconciliationRuns.runId,
      clean: reconciliationRuns.clean,
      ledgerOrders: reconciliationRuns.ledgerOrders,
      brokerOrders: reconciliationRuns.brokerOrders,
      mismatches: reconciliationRuns.mismatches,
      createdAt: reconciliationRuns.createdAt,
    })
    .from(reconciliationRuns)
    .where(eq(reconciliationRuns.tenantId, tx.tenantId))
    .orderBy(desc(reconciliationRuns.createdAt))
    .limit(limit);
}

export type KillScope = 'tenant' | 'instrument' | 'strategy';

export async function killSwitchList(tx: TenantTx) {
  return tx.db
    .select({
      scope: killSwitches.scope,
      target: killSwitches.target,
      active: killSwitches.active,
      reason: killSwitches.reason,
      setBy: killSwitches.setBy,
      updatedAt: killSwitches.updatedAt,
    })
    .from(killSwitches)
    .where(eq(killSwitches.tenantId, tx.tenantId))
    .orderBy(killSwitches.scope, killSwitches.target);
}

/** Sets (active) or clears a switch; the audit row commits with it. */
export async function setKillSwitch(
  tx: TenantTx,
  change: { scope: KillScope; target: string; active: boolean; reason: string; userId: number | null },
): Promise<void> {
  const row = { active: change.active, reason: change.reason, setBy: change.userId, updatedAt: new Date() };
  await tx.db
    .insert(killSwitches)
    .values({ tenantId: tx.tenantId, scope: change.scope, target: change.target, ...row })
    .onConflictDoUpdate({ target: [killSwitches.tenantId, killSwitches.scope, killSwitches.target], set: row });
  await auditIn(tx.client, tx.tenantId, change.userId, change.active ? 'kill_switch.set' : 'kill_switch.cleared', {
    scope: change.scope,
    target: change.target,
    reason: change.reason,
  });
}
