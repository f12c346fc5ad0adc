/** SystemCheck: proves the whole path worker → activity → Postgres → result works. */
import { patched, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { SystemCheckActivities } from '../activities/system-check';
import type { WorkerIdentityActivities } from '../activities/worker-identity';
import type { SystemCheckResult } from '../contracts/system-check';
import { TASK_QUEUES } from '../contracts/task-queues';
import { databaseActivities } from './retry-budgets';

/** The write runs as a local activity, beside the broker question, from this patch on. */
export const LOCAL_WRITE_PATCH = 'system-check-local-write';

// The broker queue runs activities only; asking it who it is proves it is served.
const broker = proxyActivities<WorkerIdentityActivities>({
  taskQueue: TASK_QUEUES.broker,
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '60 seconds',
});

export async function systemCheck(input: { checkId: string }): Promise<SystemCheckResult> {
  const local = patched(LOCAL_WRITE_PATCH);
  // `qs check` gives the whole check two minutes; a database outage shorter than that is waited out.
  const { recordSystemCheck } = databaseActivities<SystemCheckActivities>(LOCAL_WRITE_PATCH, '2 minutes');
  const write = () => recordSystemCheck({ checkId: input.checkId });
  // Side by side: the broker activity is scheduled with the workflow task the write runs in.
  const [record, brokerWorker] = local
    ? await Promise.all([write(), broker.workerIdentity()])
    : [await write(), await broker.workerIdentity()];
  return { ...record, brokerWorker: brokerWorker.workerId, workflowId: workflowInfo().workflowId };
}

/** A workflow that does nothing: the Temporal floor that benchmarks compare against. */
export async function emptyWorkflow(): Promise<void> {
  return;
}

/**
 * SystemCheck's shape with nothing inside: a local activity that only names its worker beside the
 * broker question. Benchmarks put it between the empty workflow and SystemCheck, so what
 * Temporal costs for the shape and what the check's own write costs are measured apart.
 */
export async function systemCheckShape(): Promise<void> {
  const local = proxyLocalActivities<WorkerIdentityActivities>({ startToCloseTimeout: '10 seconds' });
  await Promise.all([local.workerIdentity(), broker.workerIdentity()]);
}
