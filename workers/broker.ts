/**
 * Worker for the `broker` task queue: broker calls only. Kite allows 10 orders/s per account,
 * so the queue-wide activity rate is capped below that (shared by every broker worker).
 */
import { main } from './bootstrap';
import { TASK_QUEUES } from '../contracts/task-queues';
import { createWorkerIdentityActivities } from '../activities/worker-identity';
import { brokerOrderActivities } from '../activities/orders-activities';

main({
  taskQueue: TASK_QUEUES.broker,
  activities: ({ workerId, pool, config }) => ({
    ...createWorkerIdentityActivities({ workerId }),
    ...brokerOrderActivities({ pool, config }),
  }),
  options: { maxTaskQueueActivitiesPerSecond: 8 },
});
