/**
 * SystemCheck as a careless change would leave it: the broker call now comes before the
 * Postgres write. Old histories must fail to replay against this (replay harness self-test).
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SystemCheckActivities } from '../../../activities/system-check';
import type { WorkerIdentityActivities } from '../../../activities/worker-identity';

const { recordSystemCheck } = proxyActivities<SystemCheckActivities>({ startToCloseTimeout: '30 seconds' });
const broker = proxyActivities<WorkerIdentityActivities>({ taskQueue: 'broker', startToCloseTimeout: '10 seconds' });

export async function systemCheck(input: { checkId: string }) {
  const brokerWorker = await broker.workerIdentity();
  const record = await recordSystemCheck({ checkId: input.checkId });
  return { ...record, brokerWorker: brokerWorker.workerId, workflowId: workflowInfo().workflowId };
}
