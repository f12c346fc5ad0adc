/** Connection pools and drizzle instances. The runtime uses the qs_app pool (RLS applies). */
import { drizzle, NodePgDatabase } from 'drizzle-orm/node-postgres';
import { Pool, PoolConfig } from 'pg';
import * as schema from './schema';

export type Db = NodePgDatabase<typeof schema>;
export { schema };

export function createPool(url: string, extra: Partial<PoolConfig> = {}): Pool {
  const pool = new Pool({
    connectionString: url,
    max: 10,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 10_000,
    ...extra,
  });
  // A client losing its connection (Postgres restarted) must not crash the process: an idle one
  // is dropped by the pool; a checked-out one fails its next query and is dropped on release.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * Opens `min` connections now and keeps them (with `min` in the pool's config): a server taking
 * steady traffic should not pay for a new backend (~50 ms here: fork, authentication, cold
 * catalog caches) in the middle of a burst. Best effort: a database not up yet is the caller's
 * first query's problem, as without it.
 */
export function warmPool(pool: Pool): void {
  const n = pool.options.min ?? 0;
  void Promise.all(Array.from({ length: n }, () => pool.connect().catch(() => undefined))).then((clients) => {
    for (const c of clients) c?.release();
  });
}

export function createDb(pool: Pool): Db {
  return drizzle(pool, { schema });
}
