/** Worker for the `ml` task queue: retrain, validate, promote. */
import { main } from './bootstrap';
import { TASK_QUEUES } from '../contracts/task-queues';
import { createWorkerIdentityActivities } from '../activities/worker-identity';
import { createMlActivities } from '../activities/ml';

main({
  taskQueue: TASK_QUEUES.ml,
  activities: (ctx) => ({
    ...createWorkerIdentityActivities({ workerId: ctx.workerId }),
    ...createMlActivities(ctx),
  }),
});
