/** One row per Reconciliation run: its verdict and every mismatch, keyed by workflow and run id. */
import { reconciliationRuns } from './schema';
import type { TenantTx } from './tenant';

export async function recordReconciliationRun(
  tx: TenantTx,
  run: {
    workflowId: string;
    runId: string;
    clean: boolean;
    ledgerOrders: number;
    accountedOrders: number;
    brokerOrders: number;
    mismatches: readonly unknown[];
  },
): Promise<void> {
  await tx.db
    .insert(reconciliationRuns)
    .values({ tenantId: tx.tenantId, ...run })
    .onConflictDoNothing();
}
