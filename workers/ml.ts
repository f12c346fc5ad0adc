/** Worker for the `ml` task queue: retrain, validate, promote. */
import { main } from './bootstrap';
import { TASK_QUEUES } from '../workflows/task-queues';
import { createWorkerIdentityActivities } from '../activities/worker-identity';

main({
  taskQueue: TASK_QUEUES.ml,
  activities: ({ workerId }) => ({
    ...createWorkerIdentityActivities({ workerId }),
  }),
});
