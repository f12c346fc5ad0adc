/**
 * The broker worker's definition: broker calls only, for the tenants of the queues it polls.
 * Kite allows 10 orders/s per client account, so each queue's activity rate is capped below
 * that (enforced by the Temporal server across every worker of the queue); the Kite adapter's
 * Postgres limiter holds the account's limits across processes as well.
 *
 * Without queues it serves the shared `broker` queue (every tenant without its own: the paper
 * tenants); with them (`qs worker broker --tenants a,b`) it serves those tenants' own queues,
 * from the machine whose static IP they registered with their broker.
 */
import { TASK_QUEUES, type TenantBrokerQueue } from '../contracts/task-queues';
import { CONNECTIONS_PER_LOCK_HOLDER } from '../db/ledger';
import { brokerActivities } from './activities';
import type { WorkerDefinition } from './bootstrap';

export const BROKER_QUEUE_ACTIVITIES_PER_SECOND = 8;
/**
 * Broker activities running at once in one process, shared among the queues it polls. A
 * placement holds its tag's lock on one pooled connection while it needs up to two more, so the
 * pool is sized for every slot to hold a lock at once (db/ledger.ts admits no more holders
 * than its pool can serve, whatever the slots).
 */
export const BROKER_ACTIVITY_SLOTS = 16;

export function brokerWorkerDefinition(queues: readonly TenantBrokerQueue[] = []): WorkerDefinition {
  const served = queues.length > 0 ? queues : [TASK_QUEUES.broker];
  const slotsPerQueue = Math.max(2, Math.floor(BROKER_ACTIVITY_SLOTS / served.length));
  return {
    taskQueue: served[0]!,
    taskQueues: served,
    activities: ({ pool, workerId, config }) =>
      brokerActivities({ pool, workerId, liveTrading: config.liveTrading, queues: served }),
    options: {
      maxTaskQueueActivitiesPerSecond: BROKER_QUEUE_ACTIVITIES_PER_SECOND,
      maxConcurrentActivityTaskExecutions: slotsPerQueue,
    },
    poolSize: slotsPerQueue * served.length * CONNECTIONS_PER_LOCK_HOLDER + 2,
  };
}
