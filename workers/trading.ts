/** Worker for the `trading` task queue. */
import { main } from './bootstrap';
import { TASK_QUEUES } from '../contracts/task-queues';
import { installModelCache } from '../ml/accessors';
import { ModelCache } from '../ml/model-cache';
import { appDatabaseUrl } from '../runtime/database';
import { tradingActivities } from './activities';

main({
  taskQueue: TASK_QUEUES.trading,
  activities: ({ pool, workerId, config, log }) => {
    // decide serves the registry's production models, swapped in on promotion without a restart.
    const models = new ModelCache({ pool, listenUrl: appDatabaseUrl(config)!, workerId, log });
    installModelCache(models);
    models.start().catch((err: Error) => log.error({ err: err.message }, 'model cache failed to start'));
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void models.stop());
    return tradingActivities({ pool, workerId, models });
  },
});
