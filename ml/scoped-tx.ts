/**
 * Registry transactions: SERIALIZABLE, scoped like the rows they touch (no tenant set for
 * global models, the tenant's id for its variant), retried on serialization failures,
 * deadlocks and unique-key races. Each attempt runs fn from scratch.
 */
import type { Pool, PoolClient } from 'pg';
import type { Scope } from './types';

const RETRYABLE = new Set(['40001', '40P01', '23505']);

export interface TxOptions {
  readonly attempts?: number;
  /** Told about each retry (tests count them). */
  readonly onRetry?: (attempt: number, code: string) => void;
}

export async function serializableTx<T>(
  pool: Pool,
  scope: Scope,
  fn: (client: PoolClient, attempt: number) => Promise<T>,
  options: TxOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
      if (scope !== 'global') await client.query("SELECT set_config('app.tenant_id', $1, true)", [String(scope)]);
      const result = await fn(client, attempt);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      const code = (err as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw err;
      options.onRetry?.(attempt, code);
      await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random())));
    } finally {
      client.release();
    }
  }
}

/** Audit rows live under a tenant: the scope's own, or 0 (platform) for global models. */
export async function switchToAuditTenant(client: PoolClient, scope: Scope): Promise<number> {
  const tenant = scope === 'global' ? 0 : scope;
  await client.query("SELECT set_config('app.tenant_id', $1, true)", [String(tenant)]);
  return tenant;
}
