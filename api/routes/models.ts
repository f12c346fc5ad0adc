/**
 * The model registry for operators: list, show, promote (the validation contract decides) and
 * rollback (the ModelRollback workflow, started by its typed name; its result is in the history
 * and the Web UI). A tenant's operators act on the tenant's variants; the global models need a
 * platform session (`?scope=global`).
 */
import type { Router } from 'express';
import { z } from 'zod';
import { ArtifactIntegrityError, ModelNotFound, ModelRegistry, PromotionConflict } from '../../ml/registry';
import { MODEL_TYPE_IDS } from '../../ml/model-types';
import type { Scope } from '../../ml/types';
import { storableText } from '../../db/text';
import { PLATFORM_TENANT_ID } from '../../db/schema/tenants';
import type { SessionClaims } from '../session';
import type { Tenant } from '../../db/tenants';
import { startWorkflow } from '../../runtime/workflow-client';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { ModelType, TenantId } from '../../contracts/search-attributes';
import { TENANT_PREFIX, RouteTable } from '../route-table';
import { OPERATORS } from '../roles';
import { ApiProblem, forbidden } from '../problem';
import type { TenantDeps } from './tenant';

const scopeQuery = z.strictObject({ scope: z.enum(['tenant', 'global']).default('tenant') });
const typeParams = z.strictObject({ type: z.enum(MODEL_TYPE_IDS) });
const version = z.number().int().min(1).max(2_147_483_647);

function scopeOf(which: 'tenant' | 'global', tenant: Tenant, session: SessionClaims): Scope {
  if (which === 'tenant') return tenant.id;
  if (session.tenantId !== PLATFORM_TENANT_ID) throw forbidden('global models are managed by platform operators');
  return 'global';
}

async function registryCall<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof ModelNotFound) throw new ApiProblem(404, 'not_found', err.message);
    if (err instanceof PromotionConflict) throw new ApiProblem(409, 'conflict', err.message);
    if (err instanceof ArtifactIntegrityError) throw new ApiProblem(409, 'artifact_integrity', err.message);
    throw err;
  }
}

export function modelRoutes(table: RouteTable, router: Router, deps: TenantDeps): void {
  const registry = new ModelRegistry(deps.pool);
  const ops = { tag: 'models', access: OPERATORS } as const;
  const actor = (s: SessionClaims) => `api:user/${s.userId}@tenant/${s.tenantId}`;
  table.add(
    router,
    {
      ...ops,
      method: 'get',
      path: `${TENANT_PREFIX}/models`,
      summary: 'Production version of every model type',
      query: scopeQuery,
    },
    async ({ tenant, session, query }) => ({ models: await registry.list(scopeOf(query.scope, tenant!, session!)) }),
  );
  table.add(
    router,
    {
      ...ops,
      method: 'get',
      path: `${TENANT_PREFIX}/models/:type`,
      summary: 'Every version of a model type, its validation and the promotion history',
      params: typeParams,
      query: scopeQuery,
    },
    async ({ tenant, session, params, query }) => ({
      typeId: params.type,
      ...(await registryCall(registry.describe(params.type, scopeOf(query.scope, tenant!, session!)))),
    }),
  );
  table.add(
    router,
    {
      ...ops,
      method: 'post',
      path: `${TENANT_PREFIX}/models/:type/promote`,
      summary: 'Run the validation contract and, if it passes, make the version production',
      params: typeParams,
      body: z.strictObject({ version, scope: z.enum(['tenant', 'global']).default('tenant') }),
      errors: [409],
    },
    async ({ tenant, session, params, body }) =>
      registryCall(
        registry.promote(params.type, scopeOf(body.scope, tenant!, session!), body.version, { actor: actor(session!) }),
      ),
  );
  table.add(
    router,
    {
      ...ops,
      method: 'post',
      path: `${TENANT_PREFIX}/models/:type/rollback`,
      summary: 'Serve the previous (or a named) version again: starts the ModelRollback workflow',
      params: typeParams,
      body: z.strictObject({
        toVersion: version.optional(),
        reason: storableText(500).trim().min(1, 'required'),
        scope: z.enum(['tenant', 'global']).default('tenant'),
      }),
      status: 202,
    },
    async ({ tenant, session, params, body }) => {
      const scope = scopeOf(body.scope, tenant!, session!);
      const handle = await startWorkflow(deps.client, 'modelRollback', {
        taskQueue: TASK_QUEUES.ml,
        workflowId: `model-rollback/${params.type}/${scope}/${new Date().toISOString()}`,
        args: [{ typeId: params.type, scope, toVersion: body.toVersion, actor: actor(session!), reason: body.reason }],
        workflowExecutionTimeout: '5 minutes',
        typedSearchAttributes: [
          { key: ModelType, value: params.type },
          { key: TenantId, value: String(scope) },
        ],
      });
      return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
    },
  );
}
