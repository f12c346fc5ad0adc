/**
 * Worker for the `broker` task queue: broker calls only. Kite allows 10 orders/s per account,
 * so the queue-wide activity rate is capped below that (shared by every broker worker).
 */
import { main } from './bootstrap';
import { TASK_QUEUES } from '../contracts/task-queues';
import { brokerActivities } from './activities';

main({
  taskQueue: TASK_QUEUES.broker,
  activities: ({ pool, workerId, config }) => brokerActivities({ pool, workerId, liveTrading: config.liveTrading }),
  options: { maxTaskQueueActivitiesPerSecond: 8 },
});
