/**
 * Fixed-window request counters shared by every API process (one statement per request). Keys are
 * SHA-256 digests of the policy and the tenant or client, so rows hold no address and have a
 * bounded size; stale windows are swept now and then.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';

export interface WindowCount {
  hits: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

export interface WindowCheck {
  key: string;
  windowSeconds: number;
  /** Hits allowed in the window: a check after one past its limit is not counted. */
  limit: number;
}

const digestOf = (key: string) => createHash('sha256').update(key).digest('base64url');

/** The upsert of check `i` ($1[i] its key, $2[i] its window), counted only if check i-1 held ($3[i-1]). */
function upsert(i: number): string {
  const [key, secs] = [`$1[${i + 1}]`, `$2[${i + 1}]`];
  const guard = i === 0 ? '' : `WHERE (SELECT hits FROM c${i - 1}) <= $3[${i}]`;
  return `c${i} AS (
  INSERT INTO api_rate_limits AS r (key, window_start, hits)
  SELECT ${key}, to_timestamp(floor(extract(epoch FROM now()) / ${secs}) * ${secs}), 1 ${guard}
  ON CONFLICT (key) DO UPDATE
    SET hits = CASE WHEN r.window_start = EXCLUDED.window_start THEN r.hits + 1 ELSE 1 END,
        window_start = EXCLUDED.window_start
  RETURNING hits,
    ceil(extract(epoch FROM (window_start + make_interval(secs => ${secs}) - now())) * 1000) AS reset_ms)`;
}

const statements = new Map<number, string>();
function countStatement(n: number): string {
  let sql = statements.get(n);
  if (!sql) {
    const ctes = Array.from({ length: n }, (_, i) => upsert(i)).join(',\n');
    const cols = Array.from(
      { length: n },
      (_, i) => `(SELECT hits FROM c${i}) AS h${i}, (SELECT reset_ms FROM c${i}) AS r${i}`,
    );
    // The arrays' types, stated once (a parameter used only inside a subscript has none of its own).
    statements.set(
      n,
      (sql = `WITH p AS (SELECT $1::text[], $2::int[], $3::int[]),\n${ctes}\nSELECT ${cols.join(', ')}`),
    );
  }
  return sql;
}

/**
 * Counts a request against several windows in one statement (one round trip), in order, the way
 * separate checks would: once a window is past its limit, the ones after it are not counted (a
 * request refused by its client's limit does not use up its tenant's). The locks on the counters
 * are taken in that order, the same for every request, so two requests never deadlock.
 * null for a window not counted.
 */
export async function countHits(pool: Pool, checks: readonly WindowCheck[]): Promise<Array<WindowCount | null>> {
  if (checks.length === 0) return [];
  const { rows } = await pool.query<Record<string, string | number | null>>(countStatement(checks.length), [
    checks.map((c) => digestOf(c.key)),
    checks.map((c) => c.windowSeconds),
    checks.map((c) => c.limit),
  ]);
  const r = rows[0]!;
  return checks.map((_, i) =>
    r[`h${i}`] === null ? null : { hits: Number(r[`h${i}`]), resetMs: Math.max(0, Number(r[`r${i}`])) },
  );
}

/** Drops windows that ended more than a day ago. */
export async function sweepRateLimits(pool: Pool): Promise<number> {
  const r = await pool.query("DELETE FROM api_rate_limits WHERE window_start < now() - interval '1 day'");
  return r.rowCount ?? 0;
}
