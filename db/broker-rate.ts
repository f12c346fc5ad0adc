/**
 * Order stamps per broker client account (a platform table: tenants sharing one account share
 * its budget), for the account-wide order limits every process must respect together. Each
 * reservation runs under the account's transaction advisory lock and reads the database clock,
 * one clock for every worker on every machine. The account is stored as a digest.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { withoutTenant } from './tenant';

export interface SlotState {
  /** The database clock, epoch ms. */
  readonly nowMs: number;
  /** The account's order stamps inside the horizon asked for, epoch ms ascending. */
  readonly recent: number[];
  /** Orders stamped since the start of today's IST day. */
  readonly today: number;
}

/** 'take' stamps one order now; a number is ms to wait; 'capped' takes nothing. */
export type SlotDecision = number | 'take' | 'capped';

const digest = (account: string) => createHash('sha256').update(`order-rate\u0000${account}`, 'utf8').digest('hex');

/** IST has no daylight saving: the day starts at 00:00 +05:30. */
const IST_DAY_START =
  "date_trunc('day', clock_timestamp() + interval '5 hours 30 minutes') - interval '5 hours 30 minutes'";

export async function reserveOrderSlot(
  pool: Pool,
  account: string,
  horizonMs: number,
  decide: (s: SlotState) => SlotDecision,
): Promise<SlotDecision> {
  const key = digest(account);
  return withoutTenant(pool, async ({ client }) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('order-rate:' || $1, 0))", [key]);
    const { rows } = await client.query<{ now_ms: string; recent: string[] | null; today: number }>(
      `SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8::text AS now_ms,
              (SELECT array_agg((extract(epoch FROM at) * 1000)::float8::text ORDER BY at)
                 FROM broker_order_stamps
                WHERE account = $1 AND at > clock_timestamp() - $2 * interval '1 millisecond') AS recent,
              (SELECT count(*)::int FROM broker_order_stamps WHERE account = $1 AND at >= ${IST_DAY_START}) AS today`,
      [key, horizonMs],
    );
    const r = rows[0]!;
    const nowMs = Number(r.now_ms);
    const verdict = decide({ nowMs, recent: (r.recent ?? []).map(Number), today: r.today });
    if (verdict !== 'take') return verdict;
    await client.query('INSERT INTO broker_order_stamps (account, at) VALUES ($1, to_timestamp($2 / 1000.0))', [
      key,
      nowMs,
    ]);
    // Yesterday's stamps no longer count against anything.
    await client.query(
      `DELETE FROM broker_order_stamps WHERE account = $1 AND at < ${IST_DAY_START} - interval '1 day'`,
      [key],
    );
    return verdict;
  });
}
