/**
 * Order stamps per broker client account (a platform table: tenants sharing one account share
 * its budget), for the account-wide order limits every process must respect together. Each
 * reservation runs under the account's transaction advisory lock and reads the database clock,
 * one clock for every worker on every machine. The account is stored as a digest.
 * A stamp brackets its request: `at` is when the slot was taken (before the request left),
 * `arrived_by` the latest the broker can have received it: the request's timeout while it is in
 * flight, the time of its answer once released.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { withoutTenant } from './tenant';

export interface SlotState {
  /** The database clock, epoch ms. */
  readonly nowMs: number;
  /**
   * The latest times the account's recent orders can have reached the broker (in-flight ones:
   * now), inside the horizon asked for, epoch ms ascending.
   */
  readonly recent: number[];
  /** Orders stamped since the start of today's IST day. */
  readonly today: number;
}

/** 'take' stamps one order now; a number is ms to wait; 'capped' takes nothing. */
export type SlotDecision = number | 'take' | 'capped';

/** What a reservation did: the stamp it took (to release), or why it took none. */
export type SlotReservation = number | 'capped' | { stampId: string };

const digest = (account: string) => createHash('sha256').update(`order-rate\u0000${account}`, 'utf8').digest('hex');

/** IST has no daylight saving: the day starts at 00:00 +05:30. */
const IST_DAY_START =
  "date_trunc('day', clock_timestamp() + interval '5 hours 30 minutes') - interval '5 hours 30 minutes'";

export async function reserveOrderSlot(
  pool: Pool,
  account: string,
  span: { horizonMs: number; maxFlightMs: number },
  decide: (s: SlotState) => SlotDecision,
): Promise<SlotReservation> {
  const key = digest(account);
  return withoutTenant(pool, async ({ client }) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('order-rate:' || $1, 0))", [key]);
    // One clock reading for the whole statement: `now` below is the same instant everywhere.
    const { rows } = await client.query<{ now_ms: string; recent: string[] | null; today: number }>(
      `WITH c AS (SELECT clock_timestamp() AS now)
       SELECT (extract(epoch FROM c.now) * 1000)::float8::text AS now_ms,
              (SELECT array_agg((extract(epoch FROM s.latest) * 1000)::float8::text ORDER BY s.latest)
                 FROM (SELECT least(arrived_by, c.now) AS latest FROM broker_order_stamps
                        WHERE account = $1 AND arrived_by > c.now - $2 * interval '1 millisecond') s) AS recent,
              (SELECT count(*)::int FROM broker_order_stamps WHERE account = $1 AND at >= ${IST_DAY_START}) AS today
         FROM c`,
      [key, span.horizonMs],
    );
    const r = rows[0]!;
    const nowMs = Number(r.now_ms);
    const verdict = decide({ nowMs, recent: (r.recent ?? []).map(Number), today: r.today });
    if (verdict !== 'take') return verdict;
    const stamp = await client.query<{ id: string }>(
      `INSERT INTO broker_order_stamps (account, at, arrived_by)
       VALUES ($1, to_timestamp($2 / 1000.0), to_timestamp(($2 + $3) / 1000.0)) RETURNING id::text`,
      [key, nowMs, span.maxFlightMs],
    );
    // Yesterday's stamps no longer count against anything.
    await client.query(
      `DELETE FROM broker_order_stamps WHERE account = $1 AND at < ${IST_DAY_START} - interval '1 day'`,
      [key],
    );
    return { stampId: stamp.rows[0]!.id };
  });
}

/** The request's answer is in: the broker has it by now, not later (the window's bound tightens). */
export async function releaseOrderSlot(pool: Pool, stampId: string): Promise<void> {
  await pool.query('UPDATE broker_order_stamps SET arrived_by = least(arrived_by, clock_timestamp()) WHERE id = $1', [
    stampId,
  ]);
}
