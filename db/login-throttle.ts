/**
 * Login throttling in Postgres, so every API process sees the same counters: each failure
 * counts against the account and the client address; past a key's free failures it is
 * blocked for base·2^(n − free), capped. Time comes from the database clock, one for all
 * processes. A quiet day forgets a key (the counter restarts, stale rows are pruned).
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';

export type ThrottleScope = 'account' | 'client';

export interface ThrottlePolicy {
  /** Failures allowed before the first block. */
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ThrottleKey {
  scope: ThrottleScope;
  /** The account ("tenant/email") or client address; stored only as a digest. */
  value: string;
  policy: ThrottlePolicy;
}

const digest = (k: { scope: ThrottleScope; value: string }) =>
  createHash('sha256').update(`${k.scope}\u0000${k.value}`, 'utf8').digest('hex');

/** Milliseconds until all these keys may try again; 0 when none is blocked. */
export async function loginRetryAfterMs(pool: Pool, keys: ThrottleKey[]): Promise<number> {
  const { rows } = await pool.query<{ ms: number }>(
    `SELECT coalesce(ceil(extract(epoch FROM max(blocked_until) - now()) * 1000), 0)::int AS ms
       FROM login_throttle WHERE key = ANY($1::text[]) AND blocked_until > now()`,
    [keys.map(digest)],
  );
  return Math.max(0, rows[0]?.ms ?? 0);
}

/** The counter after this failure: it restarts when the key has been quiet for a day. */
const FAILURES = "CASE WHEN t.updated_at < now() - interval '1 day' THEN 1 ELSE t.failures + 1 END";
/** Blocked from the free-th failure on, for base·2^(failures − free) ms, capped (policy from k). */
const blockedUntil = (failures: string) =>
  `CASE WHEN ${failures} >= k.free ` +
  `THEN now() + least(k.max_ms, k.base_ms * power(2, least(${failures} - k.free, 40))) * interval '1 millisecond' END`;

/** Counts one failure against every key; returns the milliseconds until the next try is allowed. */
export async function recordLoginFailure(pool: Pool, keys: ThrottleKey[]): Promise<number> {
  const { rows } = await pool.query<{ ms: number }>(
    `WITH k AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::float8[], $5::float8[])
         AS k(key, scope, free, base_ms, max_ms)
     )
     INSERT INTO login_throttle AS t (key, scope, failures, blocked_until, updated_at)
     SELECT key, scope, 1, ${blockedUntil('1')}, now() FROM k
     ON CONFLICT (key) DO UPDATE
       SET failures = ${FAILURES},
           blocked_until = (SELECT ${blockedUntil(FAILURES)} FROM k WHERE k.key = t.key),
           updated_at = now()
     RETURNING coalesce(ceil(extract(epoch FROM t.blocked_until - now()) * 1000), 0)::int AS ms`,
    [
      keys.map(digest),
      keys.map((k) => k.scope),
      keys.map((k) => k.policy.freeFailures),
      keys.map((k) => k.policy.baseDelayMs),
      keys.map((k) => k.policy.maxDelayMs),
    ],
  );
  await pruneLoginThrottle(pool);
  return Math.max(0, ...rows.map((r) => r.ms));
}

/** A successful login clears the account's counter (the client's keeps counting). */
export async function clearLoginFailures(pool: Pool, key: { scope: ThrottleScope; value: string }): Promise<void> {
  await pool.query('DELETE FROM login_throttle WHERE key = $1', [digest(key)]);
}

/** Keys quiet for a day and not blocked: bounded batches keep each failure's cost small. */
async function pruneLoginThrottle(pool: Pool): Promise<void> {
  await pool.query(
    `DELETE FROM login_throttle WHERE key IN (
       SELECT key FROM login_throttle
        WHERE updated_at < now() - interval '1 day' AND (blocked_until IS NULL OR blocked_until < now())
        LIMIT 100)`,
  );
}
