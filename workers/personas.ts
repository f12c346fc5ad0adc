/** Worker for the `personas` task queue: isolated, and refuses broker credentials (Rule 2). */
import { main } from './bootstrap';
import { TASK_QUEUES } from '../contracts/task-queues';
import { createWorkerIdentityActivities } from '../activities/worker-identity';
import { assertNoBrokerCredentials } from './rule2';

main({
  taskQueue: TASK_QUEUES.personas,
  preflight: assertNoBrokerCredentials,
  activities: ({ workerId }) => ({
    ...createWorkerIdentityActivities({ workerId }),
  }),
});
