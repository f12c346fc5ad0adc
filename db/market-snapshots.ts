/** market_snapshots: every decision's input, stored once per content id and read back by it. */
import { and, eq } from 'drizzle-orm';
import type { Pool } from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { marketSnapshots } from './schema';

export interface StoredSnapshot {
  readonly id: string;
  readonly instrument: string;
  readonly at: string;
  readonly date: string;
  readonly spot: number;
  readonly origin: string;
}

/**
 * Stores a snapshot (the whole document in `chain`) unless its id is already there at that
 * instant: the existence check keeps a repeated decide from shipping the document again.
 */
export async function storeMarketSnapshot(pool: Pool, s: StoredSnapshot & { document: unknown }): Promise<boolean> {
  const db = drizzle(pool);
  const ts = new Date(s.at);
  const [found] = await db
    .select({ id: marketSnapshots.snapshotId })
    .from(marketSnapshots)
    .where(and(eq(marketSnapshots.snapshotId, s.id), eq(marketSnapshots.ts, ts)))
    .limit(1);
  if (found) return false;
  await pool.query('SELECT ensure_market_snapshot_partitions($1::date, $1::date)', [s.date]);
  const inserted = await db
    .insert(marketSnapshots)
    .values({
      ts,
      instrument: s.instrument,
      snapshotId: s.id,
      spot: String(s.spot),
      regime: null,
      source: s.origin,
      chain: s.document,
    })
    .onConflictDoNothing()
    .returning({ id: marketSnapshots.snapshotId });
  return inserted.length > 0;
}

export async function loadMarketSnapshot(pool: Pool, id: string): Promise<unknown | null> {
  const [row] = await drizzle(pool)
    .select({ document: marketSnapshots.chain })
    .from(marketSnapshots)
    .where(eq(marketSnapshots.snapshotId, id))
    .limit(1);
  return row?.document ?? null;
}
