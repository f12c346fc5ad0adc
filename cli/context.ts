/**
 * What most commands need: config, and connections to a running stack's Temporal and Postgres.
 * The stack writes .data/stack.env with the URLs it chose, so `qs check` etc. find it.
 */
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { loadConfig, Config } from '../runtime/config';
import { temporalConnectionOptions } from '../runtime/temporal-connection';
import { createPool } from '../db/client';
import { requireTenant, TenantInputError, type Tenant } from '../db/tenants';
import { readStackEnv } from '../runtime/stack-env';
import { appDatabaseUrl } from '../runtime/database';
import { UsageError } from './usage-error';

/** Config from the environment, overlaid with the running stack's addresses when present. */
export function cliConfig(): Config {
  const base = loadConfig();
  const stackEnv = readStackEnv(base.dataDir);
  if (!stackEnv) return base;
  // Explicit environment wins over what the stack recorded.
  return loadConfig({ ...stackEnv, ...process.env });
}

export async function withTemporal<T>(fn: (client: Client, config: Config) => Promise<T>): Promise<T> {
  const config = cliConfig();
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: '5s' });
  } catch (e) {
    throw new UsageError(
      `cannot reach Temporal at ${config.temporal.address} (is the stack running? \`npm start\`): ` +
        (e as Error).message,
    );
  }
  try {
    return await fn(new Client({ connection, namespace: config.temporal.namespace }), config);
  } finally {
    await connection.close();
  }
}

export async function withAppPool<T>(fn: (pool: Pool, config: Config) => Promise<T>): Promise<T> {
  const config = cliConfig();
  const url = appDatabaseUrl(config);
  if (!url) throw new UsageError('no database: start the stack (`npm start`) or set DATABASE_URL');
  const pool = createPool(url, { max: 4 });
  try {
    return await fn(pool, config);
  } finally {
    await pool.end();
  }
}

export function adminUrl(): string {
  const url = cliConfig().db.adminUrl;
  if (!url) throw new UsageError('no database: start the stack (`npm start`) or set DATABASE_URL');
  return url;
}

/** Input mistakes the db layer names (bad slug, unknown tenant) surface as one clear line, exit 2. */
export async function asUsage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof TenantInputError) throw new UsageError(e.message);
    throw e;
  }
}

/** The tenant a `--tenant <slug>` flag names (the platform tenant only where `platform` says so). */
export function tenantFlag(pool: Pool, slug: string, options: { platform?: boolean } = {}): Promise<Tenant> {
  return asUsage(() => requireTenant(pool, slug, { field: '--tenant', ...options }));
}
