/** SystemCheck: proves the whole path worker → activity → Postgres → result works. */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SystemCheckActivities } from '../activities/system-check';
import type { WorkerIdentityActivities } from '../activities/worker-identity';
import type { SystemCheckResult } from '../contracts/system-check';
import { TASK_QUEUES } from '../contracts/task-queues';

const { recordSystemCheck } = proxyActivities<SystemCheckActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 ms', maximumAttempts: 10 },
});

// The broker queue runs activities only; asking it who it is proves it is served.
const broker = proxyActivities<WorkerIdentityActivities>({
  taskQueue: TASK_QUEUES.broker,
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '60 seconds',
});

export async function systemCheck(input: { checkId: string }): Promise<SystemCheckResult> {
  const record = await recordSystemCheck({ checkId: input.checkId });
  const brokerWorker = await broker.workerIdentity();
  return { ...record, brokerWorker: brokerWorker.workerId, workflowId: workflowInfo().workflowId };
}

/** A workflow that does nothing: the Temporal floor that benchmarks compare against. */
export async function emptyWorkflow(): Promise<void> {
  return;
}
