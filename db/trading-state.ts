/**
 * What decides whether a tenant may trade: its status and live arming (tenants), its kill
 * switches, and its reconciliation state (tenant_trading_state: fail closed until a
 * reconciliation resolves every mismatch).
 */
import { and, asc, eq, or } from 'drizzle-orm';
import { killSwitches, tenants, tenantTradingState } from './schema';
import type { TenantTx } from './tenant';

export async function tenantFlags(tx: TenantTx): Promise<{ status: string; liveArmed: boolean } | undefined> {
  const [row] = await tx.db
    .select({ status: tenants.status, liveArmed: tenants.liveArmed })
    .from(tenants)
    .where(eq(tenants.id, tx.tenantId));
  return row;
}

/** Active kill switches that stop this instrument or structure (tenant-wide ones stop everything). */
export async function activeKillSwitches(
  tx: TenantTx,
  scope: { instrument: string; structure: string },
): Promise<Array<{ scope: string; target: string; reason: string }>> {
  return tx.db
    .select({ scope: killSwitches.scope, target: killSwitches.target, reason: killSwitches.reason })
    .from(killSwitches)
    .where(
      and(
        eq(killSwitches.tenantId, tx.tenantId),
        eq(killSwitches.active, true),
        or(
          eq(killSwitches.scope, 'tenant'),
          and(eq(killSwitches.scope, 'instrument'), eq(killSwitches.target, scope.instrument)),
          and(eq(killSwitches.scope, 'strategy'), eq(killSwitches.target, scope.structure)),
        ),
      ),
    )
    .orderBy(asc(killSwitches.scope));
}

export async function reconciliationState(
  tx: TenantTx,
): Promise<{ clean: boolean; unresolved: unknown[] } | undefined> {
  const [row] = await tx.db
    .select({ clean: tenantTradingState.reconciliationClean, unresolved: tenantTradingState.unresolved })
    .from(tenantTradingState)
    .where(eq(tenantTradingState.tenantId, tx.tenantId));
  return row && { clean: row.clean, unresolved: row.unresolved as unknown[] };
}

/** A full reconciliation's outcome replaces the state: clean (or not) with exactly what is unresolved. */
export async function setReconciliationState(
  tx: TenantTx,
  s: { clean: boolean; unresolved: readonly unknown[]; workflowId: string },
): Promise<void> {
  await tx.client.query(
    `INSERT INTO tenant_trading_state
            (tenant_id, reconciliation_clean, unresolved, last_reconciled_at, last_reconciliation_workflow_id)
     VALUES ($1, $2, $3::jsonb, now(), $4)
     ON CONFLICT (tenant_id) DO UPDATE SET reconciliation_clean = EXCLUDED.reconciliation_clean,
       unresolved = EXCLUDED.unresolved, last_reconciled_at = EXCLUDED.last_reconciled_at,
       last_reconciliation_workflow_id = EXCLUDED.last_reconciliation_workflow_id`,
    [tx.tenantId, s.clean, JSON.stringify(s.unresolved), s.workflowId],
  );
}

/** Mark the tenant not clean (fail closed) with what is unresolved; the next clean full reconciliation clears it. */
export async function markTenantUnclean(
  tx: TenantTx,
  unresolved: readonly unknown[],
  workflowId: string,
): Promise<void> {
  await tx.client.query(
    `INSERT INTO tenant_trading_state (tenant_id, reconciliation_clean, unresolved, last_reconciliation_workflow_id)
     VALUES ($1, false, $2::jsonb, $3)
     ON CONFLICT (tenant_id) DO UPDATE SET reconciliation_clean = false,
       unresolved = tenant_trading_state.unresolved || EXCLUDED.unresolved,
       last_reconciliation_workflow_id = EXCLUDED.last_reconciliation_workflow_id`,
    [tx.tenantId, JSON.stringify(unresolved), workflowId],
  );
}
