-- The whole why of a decision (factors, signals, combiner, agent, candidates, legs, reasons) in one
-- document next to the columns that are queried (status, snapshot_id, model_versions, gates, costs).
ALTER TABLE "decisions" ADD COLUMN "why" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- Two sources (or two simulated seeds) can hold different snapshots of one instrument at one
-- instant: the content id joins the key so each decision's snapshot can be stored and read back.
ALTER TABLE "market_snapshots" DROP CONSTRAINT "market_snapshots_instrument_ts_pk";--> statement-breakpoint
ALTER TABLE "market_snapshots" ADD CONSTRAINT "market_snapshots_instrument_ts_snapshot_id_pk" PRIMARY KEY ("instrument", "ts", "snapshot_id");
