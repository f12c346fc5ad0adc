/**
 * Fixed-window request counters shared by every API process (one statement per request). Keys are
 * SHA-256 digests of the policy and the tenant or client, so rows hold no address and have a
 * bounded size; stale windows are swept now and then.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { preparedStatement, type PreparedStatement } from './prepared';

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

/**
 * The upsert of check `i` ($1[i] its key, $2[i] its window), counted only if check i-1 held
 * ($3[i-1]) and, from check `gate` on, only for a session not logged out.
 */
function upsert(i: number, gate: number | null): string {
  const [key, secs] = [`$1[${i + 1}]`, `$2[${i + 1}]`];
  const held = i === 0 ? [] : [`(SELECT hits FROM c${i - 1}) <= $3[${i}]`];
  if (gate !== null && i >= gate) held.push('NOT (SELECT revoked FROM s)');
  return `c${i} AS (
  INSERT INTO api_rate_limits AS r (key, window_start, hits)
  SELECT ${key}, to_timestamp(floor(extract(epoch FROM now()) / ${secs}) * ${secs}), 1
  ${held.length ? `WHERE ${held.join(' AND ')}` : ''}
  ON CONFLICT (key) DO UPDATE
    SET hits = CASE WHEN r.window_start = EXCLUDED.window_start THEN r.hits + 1 ELSE 1 END,
        window_start = EXCLUDED.window_start
  RETURNING hits,
    ceil(extract(epoch FROM (window_start + make_interval(secs => ${secs}) - now())) * 1000) AS reset_ms)`;
}

const statements = new Map<string, PreparedStatement>();
function countStatement(n: number, gate: number | null): PreparedStatement {
  const id = `${n}|${gate}`;
  let statement = statements.get(id);
  if (!statement) {
    const ctes = Array.from({ length: n }, (_, i) => upsert(i, gate));
    const cols = Array.from(
      { length: n },
      (_, i) => `(SELECT hits FROM c${i}) AS h${i}, (SELECT reset_ms FROM c${i}) AS r${i}`,
    );
    // The parameters' types, stated once (a parameter used only inside a subscript has none of its own).
    const head = ['p AS (SELECT $1::text[], $2::int[], $3::int[], $4::text)'];
    head.push('s AS (SELECT EXISTS (SELECT 1 FROM session_revocations WHERE digest = $4) AS revoked)');
    cols.push('(SELECT revoked FROM s) AS revoked');
    const text = `WITH ${[...head, ...ctes].join(',\n')}\nSELECT ${cols.join(', ')}`;
    statements.set(id, (statement = preparedStatement(`count-hits-${n}-${gate ?? 'none'}`, text)));
  }
  return statement;
}

export interface CountedHits {
  /** Per check, in order; null for one not counted. */
  counts: Array<WindowCount | null>;
  /** Whether the session digest given was logged out (db/session-revocations). */
  revoked: boolean;
}

/**
 * Counts a request against several windows in one statement (one round trip), in order, the way
 * separate checks would: once a window is past its limit, the ones after it are not counted (a
 * request refused by its client's limit does not use up its tenant's). The locks on the counters
 * are taken in that order, the same for every request, so two requests never deadlock.
 *
 * With `session`, the same statement also looks up whether that session digest was logged out,
 * and the checks from `session.gate` on are not counted for one that was (a refused session
 * does not use up its tenant's window).
 */
export async function countHits(
  pool: Pool,
  checks: readonly WindowCheck[],
  session?: { digest: string; gate: number },
): Promise<CountedHits> {
  if (checks.length === 0 && !session) return { counts: [], revoked: false };
  const { rows } = await pool.query<Record<string, string | number | boolean | null>>(
    countStatement(checks.length, session ? session.gate : null).with([
      checks.map((c) => digestOf(c.key)),
      checks.map((c) => c.windowSeconds),
      checks.map((c) => c.limit),
      session?.digest ?? null,
    ]),
  );
  const r = rows[0]!;
  return {
    counts: checks.map((_, i) =>
      r[`h${i}`] === null ? null : { hits: Number(r[`h${i}`]), resetMs: Math.max(0, Number(r[`r${i}`])) },
    ),
    revoked: r.revoked === true,
  };
}

/** Drops windows that ended more than a day ago. */
export async function sweepRateLimits(pool: Pool): Promise<number> {
  const r = await pool.query("DELETE FROM api_rate_limits WHERE window_start < now() - interval '1 day'");
  return r.rowCount ?? 0;
}
