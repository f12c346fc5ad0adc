/**
 * Market snapshots: global market data (not tenant-scoped), one row per instrument per tick.
 * The generated CREATE TABLE is edited in its migration to PARTITION BY RANGE (ts), with daily
 * partitions made by `ensure_market_snapshot_partitions()`; on TimescaleDB it becomes a
 * hypertable instead (see the custom migration).
 */
import { index, jsonb, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const marketSnapshots = pgTable(
  'market_snapshots',
  {
    ts: timestamp('ts', { withTimezone: true }).notNull(),
    instrument: text('instrument').notNull(),
    /** Content-derived id referenced by decisions for provenance. */
    snapshotId: text('snapshot_id').notNull(),
    spot: numeric('spot', { precision: 14, scale: 4 }).notNull(),
    regime: text('regime'),
    source: text('source').notNull(),
    chain: jsonb('chain').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.instrument, t.ts, t.snapshotId] }),
    index('market_snapshots_ts_brin').using('brin', t.ts),
    index('market_snapshots_id').on(t.snapshotId, t.ts),
  ],
);
