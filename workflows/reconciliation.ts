/**
 * Reconciliation: a tenant's broker (order book, trades, positions) against our ledger, on
 * demand, before each trading day and every few minutes in market hours (Temporal Schedule,
 * stack/schedules/reconciliation.ts). The broker snapshot is fetched on the broker queue
 * and lands in this history, so every verdict can be replayed with the data it was made on.
 * A first verdict that is not clean is re-checked once after a short pause (an order filling
 * between the two reads is not a mismatch); the second verdict stands. Before each snapshot the
 * state of every workflow that owns an open order is recorded too (is anyone still going to
 * send that intent?), so the verdict on unsent intents replays from the same inputs.
 */
import { patched, proxyActivities, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { BrokerActivities } from '../activities/broker-calls';
import type { ReconciliationActivities } from '../activities/reconciliation';
import { TenantId } from '../contracts/search-attributes';
import type { ReconciliationInput, ReconciliationResult } from '../contracts/reconciliation';
import { TASK_QUEUES } from '../contracts/task-queues';
import { BROKER_RETRY, MONEY_BUDGET, OUTAGE_RETRY } from './retry-budgets';

// A verdict waits out an outage of our database (or of the broker) instead of failing: no attempt
// cap, a time budget (retry-budgets.ts).
const ledger = proxyActivities<ReconciliationActivities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: MONEY_BUDGET,
  retry: OUTAGE_RETRY,
});
const broker = proxyActivities<BrokerActivities>({
  taskQueue: TASK_QUEUES.broker,
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: MONEY_BUDGET,
  heartbeatTimeout: '20 seconds',
  retry: BROKER_RETRY,
});

export async function reconciliation(input: ReconciliationInput): Promise<ReconciliationResult> {
  const { workflowId, runId } = workflowInfo();
  upsertSearchAttributes([{ key: TenantId, value: String(input.tenantId) }]);
  const { tenantId } = input;
  // Histories recorded before the workflow-state check replay without it.
  const check = async () => {
    const workflows = patched('reconciliation-order-workflows')
      ? await ledger.describeOrderWorkflows({ tenantId })
      : undefined;
    const state = await broker.fetchBrokerState({ tenantId });
    return ledger.applyReconciliation({ tenantId, state, workflows });
  };
  let verdict = await check();
  if (!verdict.clean) {
    await sleep(input.recheckAfterMs ?? 2000);
    verdict = await check();
  }
  await ledger.recordReconciliationVerdict({
    tenantId: input.tenantId,
    verdict,
    trigger: input.trigger ?? 'on_demand',
  });
  return { ...verdict, workflowId, runId };
}
