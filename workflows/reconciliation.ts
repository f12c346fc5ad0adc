/**
 * Reconciliation: a tenant's broker (order book, trades, positions) against our ledger, on
 * demand, before each trading day and every few minutes in market hours (Temporal Schedule,
 * stack/schedules/reconciliation.ts). The broker snapshot is fetched on the broker queue
 * and lands in this history, so every verdict can be replayed with the data it was made on.
 * A first verdict that is not clean is re-checked once after a short pause (an order filling
 * between the two reads is not a mismatch); the second verdict stands.
 */
import { proxyActivities, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { BrokerActivities } from '../activities/broker-orders';
import type { ReconciliationActivities } from '../activities/reconciliation';
import { TenantId } from '../contracts/search-attributes';
import type { ReconciliationInput, ReconciliationResult } from '../contracts/reconciliation';
import { TASK_QUEUES } from '../contracts/task-queues';

const ledger = proxyActivities<ReconciliationActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '500 ms', maximumAttempts: 20 },
});
const broker = proxyActivities<BrokerActivities>({
  taskQueue: TASK_QUEUES.broker,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '15 seconds', maximumAttempts: 20 },
});

export async function reconciliation(input: ReconciliationInput): Promise<ReconciliationResult> {
  const { workflowId, runId } = workflowInfo();
  upsertSearchAttributes([{ key: TenantId, value: String(input.tenantId) }]);
  let verdict = await ledger.applyReconciliation({
    tenantId: input.tenantId,
    state: await broker.fetchBrokerState({ tenantId: input.tenantId }),
  });
  if (!verdict.clean) {
    await sleep(input.recheckAfterMs ?? 2000);
    verdict = await ledger.applyReconciliation({
      tenantId: input.tenantId,
      state: await broker.fetchBrokerState({ tenantId: input.tenantId }),
    });
  }
  await ledger.recordReconciliationVerdict({
    tenantId: input.tenantId,
    verdict,
    trigger: input.trigger ?? 'on_demand',
  });
  return { ...verdict, workflowId, runId };
}
