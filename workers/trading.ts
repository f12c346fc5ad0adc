/** Worker for the `trading` task queue. */
import { main } from './bootstrap';
import { TASK_QUEUES } from '../contracts/task-queues';
import { tradingActivities } from './activities';

main({
  taskQueue: TASK_QUEUES.trading,
  activities: ({ pool, workerId }) => tradingActivities({ pool, workerId }),
});
