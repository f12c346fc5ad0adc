/**
 * Reads for the tenant's book as the API shows it (positions: bookPositions in trading-days.ts): the
 * latest stored market snapshot to price them on, the days' P&L rows, a day's fills, and the risk walls
 * (each wall's outcome in the latest decision and its last firing).
 */
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { tradingDays } from './schema';
import type { TenantTx } from './tenant';

/** The newest stored snapshot of an instrument (the document decide stored), or null. */
export async function latestSnapshotDocument(tx: TenantTx, instrument: string): Promise<unknown> {
  const { rows } = await tx.client.query<{ chain: unknown }>(
    'SELECT chain FROM market_snapshots WHERE instrument = $1 ORDER BY ts DESC LIMIT 1',
    [instrument],
  );
  return rows[0]?.chain ?? null;
}

export interface DayPnlRow {
  date: string;
  status: string;
  pnl: string;
  costs: string;
  maxDrawdown: string;
}

export async function dayPnlRows(tx: TenantTx, from?: string, to?: string): Promise<DayPnlRow[]> {
  return tx.db
    .select({
      date: tradingDays.tradingDate,
      status: tradingDays.status,
      pnl: tradingDays.pnl,
      costs: tradingDays.costs,
      maxDrawdown: tradingDays.maxDrawdown,
    })
    .from(tradingDays)
    .where(
      and(
        eq(tradingDays.tenantId, tx.tenantId),
        from ? gte(tradingDays.tradingDate, from) : undefined,
        to ? lte(tradingDays.tradingDate, to) : undefined,
      ),
    )
    .orderBy(asc(tradingDays.tradingDate));
}

export interface DayFill {
  filledAt: Date;
  tradingsymbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  price: string;
}

/** A trading date's fills (IST), in time order. */
export async function dayFills(tx: TenantTx, date: string): Promise<DayFill[]> {
  const { rows } = await tx.client.query<DayFill>(
    `SELECT f.filled_at AS "filledAt", o.tradingsymbol, o.side, f.quantity, f.price::text AS price
       FROM fills f JOIN orders o ON o.tenant_id = f.tenant_id AND o.tag = f.order_tag
      WHERE f.tenant_id = $1 AND (f.filled_at AT TIME ZONE 'Asia/Kolkata')::date = $2::date
      ORDER BY f.filled_at, f.id`,
    [tx.tenantId, date],
  );
  return rows;
}

export interface WallState {
  wall: string;
  /** The wall in the latest decision that reached the castle. */
  current: { decisionId: string; at: Date; pass: boolean; reasonCode: string | null; numbers: unknown } | null;
  lastFiring: { decisionId: string; at: Date; reasonCode: string | null; numbers: unknown } | null;
}

/** Each risk wall's latest outcome and last firing, from the gate outcomes of the last 90 days' decisions. */
export async function wallStates(tx: TenantTx): Promise<WallState[]> {
  const { rows } = await tx.client.query<{
    wall: string;
    current: WallState['current'];
    last_firing: WallState['lastFiring'];
  }>(
    `WITH gates AS (
       SELECT d.id, d.created_at, g->>'wall' AS wall, (g->>'pass')::boolean AS pass, g->>'reasonCode' AS reason,
              g->'numbers' AS numbers
         FROM decisions d, jsonb_array_elements(d.gate_outcomes) g
        WHERE d.tenant_id = $1 AND jsonb_typeof(d.gate_outcomes) = 'array'
          AND d.created_at > now() - interval '90 days')
     SELECT w.wall,
            (SELECT json_build_object('decisionId', id, 'at', created_at, 'pass', pass, 'reasonCode', reason,
                                      'numbers', numbers)
               FROM gates c WHERE c.wall = w.wall ORDER BY created_at DESC, id DESC LIMIT 1) AS current,
            (SELECT json_build_object('decisionId', id, 'at', created_at, 'reasonCode', reason, 'numbers', numbers)
               FROM gates f WHERE f.wall = w.wall AND NOT f.pass ORDER BY created_at DESC, id DESC LIMIT 1)
              AS last_firing
       FROM (SELECT DISTINCT wall FROM gates) w
      ORDER BY w.wall`,
    [tx.tenantId],
  );
  return rows.map((r) => ({ wall: r.wall, current: r.current, lastFiring: r.last_firing }));
}
