-- The outbox without a NOTIFY inside the writing transaction. A transaction that NOTIFYs takes a
-- database-wide lock at commit and holds it through its WAL flush, so every transaction writing an
-- event committed one at a time (decide at 100/s queued there). Now the event row is all the
-- transaction writes; it flags itself (qs.api_events), and db/tenant.ts, having read the flag with
-- its COMMIT, sends an empty NOTIFY after the commit: a wake-up, not the news.
--
-- Readers follow the commit order through each row's transaction id: every transaction below a
-- snapshot's xmin has ended, so a reader that has read everything from its last xmin on misses
-- nothing, whatever order ids were drawn and commits landed in (an id-ordered reader can).
ALTER TABLE "api_events" ADD COLUMN "txid" xid8 NOT NULL DEFAULT pg_current_xact_id();
--> statement-breakpoint
CREATE INDEX "api_events_tenant_txid" ON "api_events" USING btree ("tenant_id", "txid");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION qs_publish_api_event(p_tenant int, p_channel text, p_payload jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  event_id bigint;
BEGIN
  INSERT INTO api_events (tenant_id, channel, payload) VALUES (p_tenant, p_channel, p_payload) RETURNING id INTO event_id;
  PERFORM set_config('qs.api_events', 'on', true);
  RETURN event_id;
END $$;
--> statement-breakpoint
-- The events of each given tenant from transactions at or above its horizon, less those already
-- read, each tenant's under its own RLS context; and the new horizon: the xmin of a snapshot taken
-- before the reads (every transaction below it had ended, so the reads saw its rows).
CREATE OR REPLACE FUNCTION qs_api_events_after(p_tenants int[], p_horizons xid8[], p_seen bigint[]) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
  i int;
  found jsonb := '[]';
BEGIN
  FOR i IN 1 .. coalesce(array_length(p_tenants, 1), 0) LOOP
    PERFORM set_config('app.tenant_id', p_tenants[i]::text, true);
    found := found || coalesce((
      SELECT jsonb_agg(jsonb_build_object('id', e.id, 'tenantId', e.tenant_id, 'channel', e.channel,
               'payload', e.payload, 'createdAt', e.created_at, 'txid', e.txid::text) ORDER BY e.txid, e.id)
        FROM api_events e
       WHERE e.tenant_id = p_tenants[i] AND e.txid >= p_horizons[i] AND e.id <> ALL(coalesce(p_seen, '{}'))), '[]');
  END LOOP;
  RETURN jsonb_build_object('horizon', horizon::text, 'events', found);
END $$;
