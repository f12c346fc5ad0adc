/** Worker for the `trading` task queue. */
import { main } from './bootstrap';
import { TASK_QUEUES } from '../contracts/task-queues';
import { createSystemCheckActivities } from '../activities/system-check';
import { createWorkerIdentityActivities } from '../activities/worker-identity';
import { tradingOrderActivities } from '../activities/orders-activities';

main({
  taskQueue: TASK_QUEUES.trading,
  activities: ({ pool, workerId }) => ({
    ...createSystemCheckActivities({ pool, workerId }),
    ...createWorkerIdentityActivities({ workerId }),
    ...tradingOrderActivities({ pool }),
  }),
});
