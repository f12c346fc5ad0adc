/**
 * Kill switches (any role may stop risk; clearing one is an operator's call) and reconciliation
 * (run → the Reconciliation workflow by its typed name; the last verdicts).
 */
import type { Router } from 'express';
import { z } from 'zod';
import { withTenant } from '../../db/tenant';
import { killSwitchList, lastReconciliations, setKillSwitch } from '../../db/tenant-console';
import { storableText } from '../../db/text';
import { startWorkflow } from '../../runtime/workflow-client';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { reconciliationWorkflowId } from '../../contracts/reconciliation';
import { TENANT_PREFIX, RouteTable } from '../route-table';
import { ANY_ROLE, OPERATORS } from '../roles';
import { limitQuery } from './ledger';
import type { TenantDeps } from './tenant';

const killSwitchBody = z.strictObject({
  scope: z.enum(['tenant', 'instrument', 'strategy']),
  target: storableText(64).min(1).default('*'),
  reason: storableText(500).trim().min(1, 'required'),
});

export function controlRoutes(table: RouteTable, router: Router, deps: TenantDeps): void {
  const path = `${TENANT_PREFIX}/kill-switches`;
  table.add(
    router,
    { method: 'get', path, summary: 'Kill switches', tag: 'controls', access: ANY_ROLE },
    async ({ tenant }) => ({ killSwitches: await withTenant(deps.pool, tenant!.id, killSwitchList) }),
  );
  for (const [verb, active, access] of [
    ['set', true, ANY_ROLE],
    ['clear', false, OPERATORS],
  ] as const)
    table.add(
      router,
      {
        method: 'post',
        path: `${path}/${verb}`,
        summary: active ? 'Set a kill switch (new risk stops at once)' : 'Clear a kill switch',
        tag: 'controls',
        access,
        body: killSwitchBody,
      },
      async ({ tenant, session, body }) => {
        await withTenant(deps.pool, tenant!.id, (tx) =>
          setKillSwitch(tx, { ...body, active, userId: session!.userId }),
        );
        return { scope: body.scope, target: body.target, active };
      },
    );
  table.add(
    router,
    {
      method: 'get',
      path: `${TENANT_PREFIX}/reconciliations`,
      summary: 'The last reconciliation verdicts, newest first',
      tag: 'reconciliation',
      access: ANY_ROLE,
      query: limitQuery,
    },
    async ({ tenant, query }) => ({
      runs: await withTenant(deps.pool, tenant!.id, (tx) => lastReconciliations(tx, query.limit)),
    }),
  );
  table.add(
    router,
    {
      method: 'post',
      path: `${TENANT_PREFIX}/reconciliations`,
      summary: 'Start a reconciliation against the broker (the Reconciliation workflow)',
      tag: 'reconciliation',
      access: OPERATORS,
      status: 202,
    },
    async ({ tenant, session }) => {
      const stamp = new Date().toISOString().replace(/[-:.TZ]/g, '');
      const handle = await startWorkflow(deps.client, 'reconciliation', {
        taskQueue: TASK_QUEUES.trading,
        workflowId: reconciliationWorkflowId(tenant!.id, `api-${session!.userId}-${stamp}`),
        args: [{ tenantId: tenant!.id, trigger: 'on_demand' }],
        workflowExecutionTimeout: '5 minutes',
      });
      return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
    },
  );
}
