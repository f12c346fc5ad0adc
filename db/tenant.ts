/**
 * The only way the runtime touches tenant rows: a transaction that first sets app.tenant_id
 * (transaction-local, so a pooled connection never carries it to the next user). Every
 * transaction hands its callback the pg client and a drizzle handle bound to that client, so
 * query-builder code and SQL run in the same transaction and under the same tenant.
 */
import type { Pool, PoolClient } from 'pg';
import { and, asc, eq, ne } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { createDb, Db, schema } from './client';
import { commitAndWake } from './outbox-wake';
import { PLATFORM_TENANT_ID, tenants } from './schema/tenants';

/** A transaction's pg client and a drizzle handle on the same client. */
export type Tx = { client: PoolClient; db: Db };
export type TenantTx = Tx & { tenantId: number };

/*
 * One drizzle handle per pooled connection, made on its first transaction: drizzle() walks the
 * whole schema to build its relational config, which cost more CPU than a short transaction's
 * queries when it was done per transaction.
 */
const handles = new WeakMap<PoolClient, Db>();
function bind(client: PoolClient): Db {
  let db = handles.get(client);
  if (!db) handles.set(client, (db = drizzle(client, { schema }) as unknown as Db));
  return db;
}

function assertTenantId(tenantId: number): void {
  if (!Number.isInteger(tenantId) || tenantId < 0) throw new Error(`withTenant: invalid tenant id ${tenantId}`);
}

/** Sets (or, with null, clears) the tenant for the rest of the transaction. */
async function setTenant(client: PoolClient, tenantId: number | null): Promise<void> {
  if (tenantId !== null) assertTenantId(tenantId);
  await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId === null ? '' : String(tenantId)]);
}

export async function withTenant<T>(pool: Pool, tenantId: number, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return tenantTransaction(pool, tenantId, 'BEGIN', fn);
}

/**
 * A tenant transaction holding the tenant's `scope` lock until it ends, taken in BEGIN's own
 * message (no extra round trip). Decisions read the day's budget and record what they spend
 * under it, one at a time per tenant, so two at once cannot both spend its last lots.
 */
export async function withTenantLocked<T>(
  pool: Pool,
  tenantId: number,
  scope: 'decide',
  fn: (tx: TenantTx) => Promise<T>,
): Promise<T> {
  return tenantTransaction(
    pool,
    tenantId,
    `BEGIN; SELECT pg_advisory_xact_lock(hashtext('qs.${scope}'), ${tenantId})`,
    fn,
  );
}

/** Read-only, every statement on one snapshot (REPEATABLE READ): a consistent view of several reads. */
export async function withTenantSnapshot<T>(
  pool: Pool,
  tenantId: number,
  fn: (tx: TenantTx) => Promise<T>,
): Promise<T> {
  return tenantTransaction(pool, tenantId, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn);
}

function tenantTransaction<T>(pool: Pool, tenantId: number, begin: string, fn: (tx: TenantTx) => Promise<T>) {
  assertTenantId(tenantId);
  // BEGIN and the tenant in one round trip (one simple-protocol message; the id is a checked integer).
  const beginWithTenant = `${begin}; SELECT set_config('app.tenant_id', '${tenantId}', true)`;
  return inTransaction(pool, async (client) => fn({ client, db: bind(client), tenantId }), beginWithTenant);
}

/** For global rows (model registry) and platform tables: a transaction with no tenant set. */
export async function withoutTenant<T>(pool: Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(pool, (client) => fn({ client, db: bind(client) }));
}

/**
 * For rows that belong to no tenant yet (a tenant being created): the transaction starts with
 * no tenant; `enter(id)` sets it once the tenant's row exists, for the rows that follow.
 */
export async function withNewTenant<T>(
  pool: Pool,
  fn: (tx: Tx & { enter(tenantId: number): Promise<void> }) => Promise<T>,
): Promise<T> {
  return inTransaction(pool, (client) => fn({ client, db: bind(client), enter: (id) => setTenant(client, id) }));
}

/** `begin`: the statement(s) that open the transaction (BEGIN, optionally with settings in the same message). */
export async function inTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await fn(client);
    await commitAndWake(client);
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Active trading tenants (the platform tenant is not one), in id order. */
export async function activeTenantIds(pool: Pool): Promise<number[]> {
  const rows = await createDb(pool)
    .select({ id: tenants.id })
    .from(tenants)
    .where(and(eq(tenants.status, 'active'), ne(tenants.id, PLATFORM_TENANT_ID)))
    .orderBy(asc(tenants.id));
  return rows.map((r) => r.id);
}

/** System jobs that work across tenants: every active tenant, one withTenant each. */
export async function forEachTenant(pool: Pool, fn: (tx: TenantTx) => Promise<void>): Promise<void> {
  for (const id of await activeTenantIds(pool)) await withTenant(pool, id, fn);
}

// ---------- SERIALIZABLE ----------

/** Serialization failure, deadlock, and a unique-key race (two inserts of the same key). */
const RETRYABLE = new Set(['40001', '40P01', '23505']);

/** Postgres's SQLSTATE of a failed query: on pg's error, or on the cause drizzle wraps it in. */
export function sqlState(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

export interface SerializableOptions {
  readonly attempts?: number;
  /** Told about each retry (tests count them). */
  readonly onRetry?: (attempt: number, code: string) => void;
  /**
   * Awaited where the transaction's reads are done and its writes begin (`tx.beforeWrite()`):
   * a test holds both of two transactions here to force the interleaving SERIALIZABLE exists for.
   */
  readonly beforeWrite?: (attempt: number) => Promise<void>;
}

export type SerializableTx = Tx & {
  /** The tenant set (null: none, global rows). */
  readonly tenantId: number | null;
  readonly attempt: number;
  /** Call between the reads and the writes (see SerializableOptions.beforeWrite). */
  beforeWrite(): Promise<void>;
  /**
   * Moves the rest of the transaction under another tenant (null: none); the registry writes
   * a global model's audit row under the platform tenant after its global rows.
   */
  switchTenant(tenantId: number | null): Promise<void>;
};

/**
 * A SERIALIZABLE transaction with the tenant set (or none, for global rows), retried from
 * scratch on serialization failures, deadlocks and unique-key races: fn must be safe to rerun.
 */
export async function withSerializable<T>(
  pool: Pool,
  tenantId: number | null,
  fn: (tx: SerializableTx) => Promise<T>,
  options: SerializableOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
      if (tenantId !== null) await setTenant(client, tenantId);
      const result = await fn({
        client,
        db: bind(client),
        tenantId,
        attempt,
        beforeWrite: async () => options.beforeWrite?.(attempt),
        switchTenant: (id) => setTenant(client, id),
      });
      await commitAndWake(client);
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      const code = sqlState(err);
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw err;
      options.onRetry?.(attempt, code);
      await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random())));
    } finally {
      client.release();
    }
  }
}
