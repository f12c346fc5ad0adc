/**
 * WeeklyRetrain end to end on the real Temporal server and Postgres: data → train → holdout →
 * staged → contract → promote (or stay staged) → record; idempotent per data version; the
 * operator's ModelRollback workflow. Histories are recorded as replay fixtures. The data versions
 * are chosen for the drift monitor's measured holdout stability on the simulator (≥ 0.6 passes):
 * 2026-01-09 0.67 and 2026-01-16 0.78 pass, 2026-05-22 0.56 does not.
 */
import { executeWorkflow, startWorkflow } from '../../runtime/workflow-client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { createMlModelActivities } from '../../activities/ml-models';
import { createRetrainActivities } from '../../activities/retrain';
import { ModelRegistry } from '../../ml/registry';
import { ModelType, TenantId } from '../../contracts/search-attributes';
import { dataVersionAt, retrainWorkflowId } from '../../contracts/models';
import { withTenant } from '../../db/tenant';
import { testClient, testPool, testWorker, uniqueQueue } from '../support/env';
import { maybeRecordHistory } from '../support/record-history';

describe('WeeklyRetrain workflow', () => {
  it('trains, validates, promotes; a failing contract stays staged; reruns no-op; rollback is a workflow', async () => {
    const pool = testPool('app');
    const client = await testClient();
    const registry = new ModelRegistry(pool);
    const taskQueue = uniqueQueue('ml-retrain');
    const worker = await testWorker({
      taskQueue,
      activities: {
        ...createRetrainActivities({ pool, workerId: 'retrain-test' }),
        ...createMlModelActivities({ pool, workerId: 'retrain-test', cache: null }),
      },
    });

    const retrain = (
      typeId: string,
      dataVersion: string,
      workflowId = retrainWorkflowId(typeId, 'global', dataVersion),
    ) =>
      executeWorkflow(client, 'weeklyRetrain', {
        taskQueue,
        workflowId,
        args: [{ typeId, scope: 'global', dataVersion }],
        typedSearchAttributes: [
          { key: ModelType, value: typeId },
          { key: TenantId, value: 'global' },
        ],
      });

    await worker.runUntil(async () => {
      // 1. A passing candidate is promoted (the first one has no production to compare with).
      const first = await retrain('feature_drift_monitor', '2026-01-09');
      expect(first).toMatchObject({
        result: 'promoted',
        version: 1,
        trained: true,
        validation: { passed: true, comparedWith: null },
      });
      expect(first.rows).toBeGreaterThan(1000);
      await maybeRecordHistory(
        client,
        retrainWorkflowId('feature_drift_monitor', 'global', '2026-01-09'),
        'weekly-retrain-promoted',
      );

      // 2. A candidate that fails the contract stays staged; the old version keeps serving.
      const second = await retrain('feature_drift_monitor', '2026-05-22');
      expect(second).toMatchObject({
        result: 'staged',
        version: 2,
        promotion: null,
        validation: { passed: false, comparedWith: 1 },
      });
      expect(second.validation.checks.find((c) => c.name === 'holdout_metric')?.passed).toBe(false);
      expect((await registry.loadProduction('feature_drift_monitor'))?.version).toBe(1);
      expect((await registry.describe('feature_drift_monitor')).versions.map((v) => [v.version, v.status])).toEqual([
        [1, 'production'],
        [2, 'staged'],
      ]);
      await maybeRecordHistory(
        client,
        retrainWorkflowId('feature_drift_monitor', 'global', '2026-05-22'),
        'weekly-retrain-staged',
      );

      // 3. Idempotent per (type, data version): the same id is refused while the first stands;
      //    a second run under another id reuses the saved version instead of training again.
      await expect(
        startWorkflow(client, 'weeklyRetrain', {
          taskQueue,
          workflowId: retrainWorkflowId('feature_drift_monitor', 'global', '2026-01-09'),
          args: [{ typeId: 'feature_drift_monitor', scope: 'global', dataVersion: '2026-01-09' }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      const again = await retrain('feature_drift_monitor', '2026-01-09', `retrain-again-${Date.now()}`);
      expect(again).toMatchObject({ version: 1, trained: false, result: 'already_production' });
      expect((await registry.describe('feature_drift_monitor')).versions).toHaveLength(2);

      // 4. Promote a better week, then an operator rolls back through the ModelRollback workflow.
      const third = await retrain('feature_drift_monitor', '2026-01-16');
      expect(third).toMatchObject({ result: 'promoted', version: 3, validation: { comparedWith: 1 } });
      const rollbackId = `model-rollback/feature_drift_monitor/global/test-${Date.now()}`;
      const back = await executeWorkflow(client, 'modelRollback', {
        taskQueue,
        workflowId: rollbackId,
        args: [
          {
            typeId: 'feature_drift_monitor',
            scope: 'global',
            actor: 'operator:test',
            reason: 'drift alerts too noisy',
          },
        ],
      });
      expect(back).toMatchObject({ fromVersion: 3, toVersion: 1 });
      expect((await registry.loadProduction('feature_drift_monitor'))?.version).toBe(1);
      await maybeRecordHistory(client, rollbackId, 'model-rollback');

      // Visible by model type in the Web UI's search.
      const desc = await client.workflow
        .getHandle(retrainWorkflowId('feature_drift_monitor', 'global', '2026-01-09'))
        .describe();
      expect(desc.typedSearchAttributes.get(ModelType)).toBe('feature_drift_monitor');

      // Each run's outcome is audited once, under the platform tenant.
      const audit = await withTenant(pool, 0, ({ client: c }) =>
        c.query(
          `SELECT payload->>'result' AS result FROM audit_log
            WHERE tenant_id = 0 AND event_type = 'model.retrain_completed'
              AND payload->>'typeId' = 'feature_drift_monitor'
            ORDER BY seq`,
        ),
      );
      expect(audit.rows.map((r) => r.result)).toEqual(['promoted', 'staged', 'already_production', 'promoted']);
    });
  });

  it('a scheduled run picks the last trading day before its IST date as the data version', () => {
    // Sunday 2026-05-24 03:00 IST → Friday 2026-05-22.
    expect(dataVersionAt(Date.parse('2026-05-23T21:30:00Z'))).toBe('2026-05-22');
  });
});
