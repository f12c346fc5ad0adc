/**
 * The factor pool and its weekly evaluation: one out-of-sample IC per (factor, week), each
 * week's review, and the pool itself (a factor without a row is in production). Global tables:
 * no tenant; a change of the pool is audited under the platform tenant.
 */
import type { Pool, PoolClient } from 'pg';
import { auditIn } from './audit';
import { PLATFORM_TENANT_ID } from './schema/tenants';
import { withoutTenant, withTenant } from './tenant';

export interface PeriodIcRow {
  readonly factor: string;
  readonly period: string;
  readonly target: string;
  readonly ic: number | null;
  readonly n: number;
}

export interface PoolRow {
  readonly factor: string;
  readonly status: 'production' | 'candidate';
  readonly direction: 1 | -1 | null;
}

export interface ReviewRow {
  readonly factor: string;
  readonly action: 'promote' | 'demote' | 'keep';
  readonly from: 'production' | 'candidate';
  readonly to: 'production' | 'candidate';
  readonly direction: 1 | -1 | null;
  readonly reason: string;
  readonly rollingIc: number | null;
  readonly tStat: number | null;
  readonly periods: number;
  readonly icTrend: number | null;
}

/** The factors switched off (de-promoted): decide gives them to the stack as missing. */
export async function switchedOffFactors(client: PoolClient): Promise<string[]> {
  const { rows } = await client.query<{ factor: string }>(
    "SELECT factor FROM factor_pool WHERE status = 'candidate' ORDER BY factor",
  );
  return rows.map((r) => r.factor);
}

/** The switched-off factors, on a transaction of its own. */
export async function switchedOffFactorNames(pool: Pool): Promise<string[]> {
  return withoutTenant(pool, ({ client }) => switchedOffFactors(client));
}

/** Periods (of those asked) that already have their ICs stored. */
export async function periodsWithIcs(pool: Pool, periods: readonly string[]): Promise<string[]> {
  return withoutTenant(pool, async ({ client }) => {
    const { rows } = await client.query<{ period: string }>(
      'SELECT DISTINCT period FROM factor_ics WHERE period = ANY($1::text[]) ORDER BY period',
      [periods],
    );
    return rows.map((r) => r.period);
  });
}

/** Written once per (factor, period): a repeated evaluation keeps the first. */
export async function insertPeriodIcs(pool: Pool, rows: readonly PeriodIcRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return withoutTenant(pool, async ({ client }) => {
    const r = await client.query(
      `INSERT INTO factor_ics (factor, period, target, ic, n)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::int[])
       ON CONFLICT (factor, period) DO NOTHING`,
      [
        rows.map((x) => x.factor),
        rows.map((x) => x.period),
        rows.map((x) => x.target),
        rows.map((x) => x.ic),
        rows.map((x) => x.n),
      ],
    );
    return r.rowCount ?? 0;
  });
}

/** ICs of the given periods, by factor, in period order (a missing period is a null). */
export async function periodIcs(pool: Pool, periods: readonly string[]): Promise<Map<string, (number | null)[]>> {
  const sorted = [...periods].sort();
  const rows = await withoutTenant(
    pool,
    async ({ client }) =>
      (
        await client.query<{ factor: string; period: string; ic: number | null }>(
          'SELECT factor, period, ic FROM factor_ics WHERE period = ANY($1::text[])',
          [sorted],
        )
      ).rows,
  );
  const out = new Map<string, (number | null)[]>();
  for (const r of rows) {
    let series = out.get(r.factor);
    if (!series) out.set(r.factor, (series = sorted.map(() => null)));
    series[sorted.indexOf(r.period)] = r.ic;
  }
  return out;
}

export async function poolRows(pool: Pool): Promise<PoolRow[]> {
  return withoutTenant(
    pool,
    async ({ client }) =>
      (await client.query<PoolRow>('SELECT factor, status, direction FROM factor_pool ORDER BY factor')).rows,
  );
}

/**
 * A week's reviews, once: the rows, the pool's changes and one audit row per change, in one
 * transaction. A period already reviewed is left as it is (false).
 */
export async function recordReviews(
  pool: Pool,
  period: string,
  reviews: readonly ReviewRow[],
  by: { workflowId: string; runId: string },
): Promise<boolean> {
  // Under the platform tenant: its audit rows commit with the change (the pool tables have no tenant).
  return withTenant(pool, PLATFORM_TENANT_ID, async ({ client }) => {
    // One review per period: a concurrent or repeated run waits here, then finds it done.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`factor-review/${period}`]);
    const done = await client.query('SELECT 1 FROM factor_reviews WHERE period = $1 LIMIT 1', [period]);
    if (done.rows.length > 0) return false;
    await client.query(
      `INSERT INTO factor_reviews (factor, period, action, from_status, to_status, direction, reason, rolling_ic,
         t_stat, periods, ic_trend, workflow_id, run_id)
       SELECT f, $2, a, fs, ts, d, r, ic, t, p, tr, $3, $4
         FROM unnest($1::text[], $5::text[], $6::text[], $7::text[], $8::int2[], $9::text[], $10::float8[],
                     $11::float8[], $12::int[], $13::float8[]) AS x(f, a, fs, ts, d, r, ic, t, p, tr)`,
      [
        reviews.map((r) => r.factor),
        period,
        by.workflowId,
        by.runId,
        reviews.map((r) => r.action),
        reviews.map((r) => r.from),
        reviews.map((r) => r.to),
        reviews.map((r) => r.direction),
        reviews.map((r) => r.reason),
        reviews.map((r) => r.rollingIc),
        reviews.map((r) => r.tStat),
        reviews.map((r) => r.periods),
        reviews.map((r) => r.icTrend),
      ],
    );
    // The pool keeps every factor's direction; its status changes only on a promote or demote.
    await client.query(
      `INSERT INTO factor_pool (factor, status, direction, reason, period)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int2[], $4::text[], $5::text[])
       ON CONFLICT (factor) DO UPDATE SET status = EXCLUDED.status, direction = EXCLUDED.direction,
         reason = EXCLUDED.reason, period = EXCLUDED.period, updated_at = now()`,
      [
        reviews.map((r) => r.factor),
        reviews.map((r) => r.to),
        reviews.map((r) => r.direction),
        reviews.map((r) => r.reason),
        reviews.map(() => period),
      ],
    );
    const changes = reviews.filter((r) => r.action !== 'keep');
    for (const c of changes)
      await auditIn(client, PLATFORM_TENANT_ID, null, c.action === 'demote' ? 'factor.demoted' : 'factor.promoted', {
        factor: c.factor,
        period,
        reason: c.reason,
        rollingIc: c.rollingIc,
        tStat: c.tStat,
        periods: c.periods,
        direction: c.direction,
        workflowId: by.workflowId,
      });
    return true;
  });
}

/** One week's stored reviews. */
export async function reviewsOf(pool: Pool, period: string): Promise<ReviewRow[]> {
  return withoutTenant(
    pool,
    async ({ client }) =>
      (
        await client.query<ReviewRow>(
          `SELECT factor, action, from_status AS "from", to_status AS "to", direction, reason,
                rolling_ic AS "rollingIc", t_stat AS "tStat", periods, ic_trend AS "icTrend"
           FROM factor_reviews WHERE period = $1 ORDER BY factor`,
          [period],
        )
      ).rows,
  );
}

/** The last reviews of a factor (or of every factor for the last period), newest first. */
export async function latestReviews(pool: Pool, limit = 100): Promise<Array<ReviewRow & { period: string }>> {
  return withoutTenant(
    pool,
    async ({ client }) =>
      (
        await client.query<ReviewRow & { period: string }>(
          `SELECT factor, period, action, from_status AS "from", to_status AS "to", direction, reason,
                rolling_ic AS "rollingIc", t_stat AS "tStat", periods, ic_trend AS "icTrend"
           FROM factor_reviews ORDER BY period DESC, factor LIMIT $1`,
          [limit],
        )
      ).rows,
  );
}
