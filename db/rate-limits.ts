/**
 * Fixed-window request counters shared by every API process (one upsert per check). Keys are
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

export async function countHit(pool: Pool, key: string, windowSeconds: number): Promise<WindowCount> {
  const digest = createHash('sha256').update(key).digest('base64url');
  const { rows } = await pool.query<{ hits: number; reset_ms: string }>(
    `WITH w AS (SELECT to_timestamp(floor(extract(epoch FROM now()) / $2) * $2) AS start)
     INSERT INTO api_rate_limits AS r (key, window_start, hits) SELECT $1, w.start, 1 FROM w
     ON CONFLICT (key) DO UPDATE
       SET hits = CASE WHEN r.window_start = EXCLUDED.window_start THEN r.hits + 1 ELSE 1 END,
           window_start = EXCLUDED.window_start
     RETURNING hits, ceil(extract(epoch FROM (window_start + make_interval(secs => $2) - now())) * 1000) AS reset_ms`,
    [digest, windowSeconds],
  );
  return { hits: rows[0].hits, resetMs: Math.max(0, Number(rows[0].reset_ms)) };
}

/** Drops windows that ended more than a day ago. */
export async function sweepRateLimits(pool: Pool): Promise<number> {
  const r = await pool.query("DELETE FROM api_rate_limits WHERE window_start < now() - interval '1 day'");
  return r.rowCount ?? 0;
}
