/**
 * The only way the runtime touches tenant rows: a transaction that first sets app.tenant_id
 * (transaction-local, so a pooled connection never carries it to the next user).
 */
import type { Pool, PoolClient } from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { Db, schema } from './client';

export type TenantTx = { client: PoolClient; db: Db; tenantId: number };

export async function withTenant<T>(pool: Pool, tenantId: number, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  if (!Number.isInteger(tenantId) || tenantId < 0) throw new Error(`withTenant: invalid tenant id ${tenantId}`);
  return inTransaction(pool, async (client) => {
    await client.query("SELECT set_config('app.tenant_id', $1, true)", [String(tenantId)]);
    return fn({ client, db: drizzle(client, { schema }) as unknown as Db, tenantId });
  });
}

/** For global rows (model registry) and platform tables: a transaction with no tenant set. */
export async function withoutTenant<T>(pool: Pool, fn: (tx: Omit<TenantTx, 'tenantId'>) => Promise<T>): Promise<T> {
  return inTransaction(pool, (client) => fn({ client, db: drizzle(client, { schema }) as unknown as Db }));
}

export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** System jobs that work across tenants: every active tenant, one withTenant each. */
export async function forEachTenant(pool: Pool, fn: (tx: TenantTx) => Promise<void>): Promise<void> {
  const { rows } = await pool.query<{ id: number }>(
    "SELECT id FROM tenants WHERE status = 'active' AND id <> 0 ORDER BY id",
  );
  for (const { id } of rows) await withTenant(pool, id, fn);
}
