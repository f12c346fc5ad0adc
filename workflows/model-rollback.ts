/**
 * ModelRollback: an operator's rollback as a workflow, so it is visible (and searchable by
 * ModelType / TenantId) in the Temporal Web UI. Bypasses the validation contract; the
 * registry still checks the target's SHA-256, audits, and NOTIFYs the workers.
 */
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { MlModelActivities } from '../activities/ml-models';
import type { RollbackResult } from '../ml/registry';
import type { Scope } from '../ml/types';
import { ModelType, TenantId } from '../runtime/search-attributes';

const { rollbackModel } = proxyActivities<MlModelActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

export interface ModelRollbackInput {
  readonly typeId: string;
  readonly scope: Scope;
  /** Omitted: the version production had before the current one. */
  readonly toVersion?: number;
  readonly actor: string;
  readonly reason?: string;
}

export async function modelRollback(input: ModelRollbackInput): Promise<RollbackResult> {
  upsertSearchAttributes([
    { key: ModelType, value: input.typeId },
    { key: TenantId, value: String(input.scope) },
  ]);
  return rollbackModel(input);
}
