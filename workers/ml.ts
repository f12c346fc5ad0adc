/** Worker for the `ml` task queue: retrain, validate, promote. */
import { main } from './bootstrap';
import { TASK_QUEUES } from '../contracts/task-queues';
import { createWorkerIdentityActivities } from '../activities/worker-identity';
import { createMlActivities } from '../activities/ml';
import { createFactorEvaluationActivities } from '../activities/factor-evaluation';
import { appDatabaseUrl } from '../runtime/database';

main({
  taskQueue: TASK_QUEUES.ml,
  activities: (ctx) => ({
    ...createWorkerIdentityActivities({ workerId: ctx.workerId }),
    // main() has checked the database configuration before this runs.
    ...createMlActivities({
      pool: ctx.pool,
      workerId: ctx.workerId,
      log: ctx.log,
      listenUrl: appDatabaseUrl(ctx.config)!,
    }),
    ...createFactorEvaluationActivities({ pool: ctx.pool }),
  }),
});
