/**
 * Everything the ml worker registers: the retrain activities, the model-serving activities,
 * and the process's ModelCache (LISTENing for promotions on its own connection, installed for
 * the per-type accessors). The cache starts in the background so the worker polls at once; if
 * Postgres is not reachable yet, the LISTEN retries with backoff.
 */
import type { Pool } from 'pg';
import { installModelCache } from '../ml/accessors';
import { ModelCache, type CacheLog } from '../ml/model-cache';
import { createMlModelActivities } from './ml-models';
import { createRetrainActivities } from './retrain';

export interface MlWorkerDeps {
  readonly pool: Pool;
  readonly workerId: string;
  /** Connection string for the cache's dedicated LISTEN connection. */
  readonly listenUrl: string;
  readonly log: CacheLog;
}

export function createMlActivities(ctx: MlWorkerDeps) {
  const cache = new ModelCache({ pool: ctx.pool, listenUrl: ctx.listenUrl, workerId: ctx.workerId, log: ctx.log });
  installModelCache(cache);
  cache.start().then(
    (listening) => listening && ctx.log.info({ workerId: ctx.workerId }, 'model cache listening for promotions'),
    (err: Error) => ctx.log.error({ err: err.message }, 'model cache failed to start'),
  );
  // A clean shutdown takes this worker out of worker_models (the Temporal runtime handles the
  // same signals to drain the worker; this only stops the cache).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void cache.stop());
  return {
    ...createRetrainActivities({ pool: ctx.pool, workerId: ctx.workerId }),
    ...createMlModelActivities({ pool: ctx.pool, workerId: ctx.workerId, cache }),
  };
}
