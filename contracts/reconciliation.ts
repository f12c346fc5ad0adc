/** Reconciliation's input, result and business key. */
import type { ReconciliationVerdict } from './orders';

export interface ReconciliationInput {
  tenantId: number;
  trigger?: 'on_demand' | 'schedule' | 'pre_open' | 'placement';
  recheckAfterMs?: number;
}

export type ReconciliationResult = ReconciliationVerdict & { workflowId: string; runId: string };

export const reconciliationWorkflowId = (tenantId: number, suffix: string) => `reconcile/${tenantId}/${suffix}`;
