/**
 * The ml worker's model-serving activities: rollback (the ModelRollback workflow's one step)
 * and "what do you serve" (lets a workflow or test see the hot-swapped version).
 */
import type { Pool } from 'pg';
import { ApplicationFailure } from '@temporalio/activity';
import type { ModelCache } from '../ml/model-cache';
import { isModelTypeId } from '../ml/model-types';
import {
  ArtifactIntegrityError,
  ModelNotFound,
  ModelRegistry,
  PromotionConflict,
  type RollbackResult,
} from '../ml/registry';
import { scopeKey, type Scope } from '../ml/types';

export interface ServedModel {
  readonly workerId: string;
  readonly typeId: string;
  readonly scope: string | null;
  readonly version: number | null;
  readonly sha256: string | null;
}

export function createMlModelActivities(deps: { pool: Pool; workerId: string; cache: ModelCache | null }) {
  const registry = new ModelRegistry(deps.pool, { actor: deps.workerId });
  return {
    async rollbackModel(input: {
      typeId: string;
      scope: Scope;
      toVersion?: number;
      actor: string;
      reason?: string;
    }): Promise<RollbackResult> {
      if (!isModelTypeId(input.typeId))
        throw ApplicationFailure.nonRetryable(`unknown model type "${input.typeId}"`, 'UnknownModelType');
      try {
        return await registry.rollback(input.typeId, input.scope, {
          toVersion: input.toVersion,
          actor: input.actor,
          reason: input.reason,
        });
      } catch (err) {
        if (err instanceof PromotionConflict || err instanceof ModelNotFound || err instanceof ArtifactIntegrityError)
          throw ApplicationFailure.nonRetryable(err.message, err.name);
        throw err;
      }
    },

    async servedModel(input: { typeId: string; tenantId?: number | null }): Promise<ServedModel> {
      if (!isModelTypeId(input.typeId))
        throw ApplicationFailure.nonRetryable(`unknown model type "${input.typeId}"`, 'UnknownModelType');
      const m = deps.cache ? await deps.cache.get(input.typeId, input.tenantId ?? null) : null;
      return {
        workerId: deps.workerId,
        typeId: input.typeId,
        scope: m ? scopeKey(m.id.scope) : null,
        version: m?.id.version ?? null,
        sha256: m?.id.sha256 ?? null,
      };
    },
  };
}

export type MlModelActivities = ReturnType<typeof createMlModelActivities>;
