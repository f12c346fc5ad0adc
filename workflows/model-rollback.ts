/**
 * ModelRollback: an operator's rollback as a workflow, so it is visible (and searchable by
 * ModelType / TenantId) in the Temporal Web UI. Bypasses the validation contract; the
 * registry still checks the target's SHA-256, audits, and NOTIFYs the workers.
 */
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { MlModelActivities } from '../activities/ml-models';
import type { ModelRollbackInput, RollbackResult } from '../contracts/models';
import { ModelType, TenantId } from '../contracts/search-attributes';

const { rollbackModel } = proxyActivities<MlModelActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

export async function modelRollback(input: ModelRollbackInput): Promise<RollbackResult> {
  upsertSearchAttributes([
    { key: ModelType, value: input.typeId },
    { key: TenantId, value: String(input.scope) },
  ]);
  return rollbackModel(input);
}
