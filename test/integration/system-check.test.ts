import { executeWorkflow, startWorkflow } from '../../runtime/workflow-client';
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { testClient, testPool, testWorker } from '../support/env';
import { maybeRecordHistory } from '../support/record-history';
import { createSystemCheckActivities } from '../../activities/system-check';
import { createWorkerIdentityActivities } from '../../activities/worker-identity';
import { TASK_QUEUES } from '../../contracts/task-queues';

describe('SystemCheck workflow on the real Temporal server and Postgres', () => {
  it('round-trips worker → activity → idempotent Postgres write → result', async () => {
    const pool = testPool('app');
    const client = await testClient();
    const trading = await testWorker({
      taskQueue: TASK_QUEUES.trading,
      activities: {
        ...createSystemCheckActivities({ pool, workerId: 'trading-test' }),
        ...createWorkerIdentityActivities({ workerId: 'trading-test' }),
      },
    });
    const broker = await testWorker({
      taskQueue: TASK_QUEUES.broker,
      activities: createWorkerIdentityActivities({ workerId: 'broker-test' }),
    });

    await trading.runUntil(
      broker.runUntil(async () => {
        const checkId = randomUUID();
        const workflowId = `system-check/${checkId}`;
        const first = await executeWorkflow(client, 'systemCheck', {
          taskQueue: TASK_QUEUES.trading,
          workflowId,
          args: [{ checkId }],
        });
        expect(first).toMatchObject({
          checkId,
          workflowId,
          worker: 'trading-test',
          brokerWorker: 'broker-test',
          inserted: true,
        });

        // Same business key again (a retry, a second workflow): the write happens once.
        const again = await executeWorkflow(client, 'systemCheck', {
          taskQueue: TASK_QUEUES.trading,
          workflowId: `${workflowId}/again`,
          args: [{ checkId }],
        });
        expect(again.inserted).toBe(false);
        expect(again.dbTime).toBe(first.dbTime);
        const rows = await pool.query('SELECT workflow_id FROM system_checks WHERE check_id = $1', [checkId]);
        expect(rows.rows).toEqual([{ workflow_id: workflowId }]);

        // Workflow ids are business keys: starting the same one twice is refused, not duplicated.
        await expect(
          startWorkflow(client, 'systemCheck', {
            taskQueue: TASK_QUEUES.trading,
            workflowId,
            args: [{ checkId }],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          }),
        ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);

        await maybeRecordHistory(client, workflowId, 'system-check-local-write');

        // The benchmarks' references: the empty workflow, and SystemCheck's shape with nothing inside
        // (a local activity beside a broker-queue activity, no database write).
        const before = await pool.query('SELECT count(*)::int AS n FROM system_checks');
        for (const type of ['emptyWorkflow', 'systemCheckShape'] as const)
          await executeWorkflow(client, type, { taskQueue: TASK_QUEUES.trading, workflowId: `${workflowId}/${type}` });
        const history = await client.workflow.getHandle(`${workflowId}/systemCheckShape`).fetchHistory();
        const kinds = (history.events ?? []).map((e) => ({
          marker: e.markerRecordedEventAttributes?.markerName,
          queue: e.activityTaskScheduledEventAttributes?.taskQueue?.name,
        }));
        expect(kinds.filter((k) => k.marker === 'core_local_activity')).toHaveLength(1);
        expect(kinds.filter((k) => k.queue).map((k) => k.queue)).toEqual([TASK_QUEUES.broker]);
        expect((await pool.query('SELECT count(*)::int AS n FROM system_checks')).rows).toEqual(before.rows);
        await maybeRecordHistory(client, `${workflowId}/systemCheckShape`, 'system-check-shape');
      }),
    );
  });
});
