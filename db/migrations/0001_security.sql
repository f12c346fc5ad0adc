-- What drizzle cannot express: FORCE RLS, the tenant trigger, grants for the runtime role,
-- the append-only hash-chained audit log, and daily partitions for market snapshots.

-- The seed's tenant trigger: a clear message instead of a bare NOT NULL violation.
CREATE OR REPLACE FUNCTION enforce_tenant_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.tenant_id IS NULL THEN
    RAISE EXCEPTION 'tenant_id required: % rows belong to a tenant (run the write inside withTenant)', TG_TABLE_NAME
      USING ERRCODE = 'not_null_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint

-- Applies the tenant-table pattern's SQL half to one table; idempotent, reused by later migrations.
CREATE OR REPLACE FUNCTION qs_secure_tenant_table(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP TRIGGER IF EXISTS enforce_tenant_id ON %s', tbl);
  EXECUTE format('CREATE TRIGGER enforce_tenant_id BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION enforce_tenant_id()', tbl);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO qs_app', tbl);
END $$;
--> statement-breakpoint
SELECT qs_secure_tenant_table(t::regclass) FROM unnest(ARRAY[
  'users', 'kill_switches', 'tenant_trading_state', 'decisions', 'orders', 'fills', 'positions',
  'trades', 'reconciliation_runs', 'model_versions', 'model_pointers'
]) AS t;
--> statement-breakpoint

-- The audit log: INSERT and SELECT only, for everyone, enforced by triggers as well as grants.
SELECT qs_secure_tenant_table('audit_log');
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM qs_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_canonical(tenant_id int, seq bigint, user_id int, event_type text, payload jsonb, created_at timestamptz)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT concat_ws('|', tenant_id::text, seq::text, coalesce(user_id::text, ''), event_type, payload::text,
                   to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  prev_seq bigint;
  prev_hash text;
BEGIN
  IF NEW.tenant_id IS NULL THEN
    RAISE EXCEPTION 'tenant_id required: audit_log rows belong to a tenant' USING ERRCODE = 'not_null_violation';
  END IF;
  -- One chain per tenant: writers for the same tenant queue here; other tenants do not wait.
  PERFORM pg_advisory_xact_lock(hashtext('audit_log'), NEW.tenant_id);
  SELECT a.seq, a.hash INTO prev_seq, prev_hash FROM audit_log a WHERE a.tenant_id = NEW.tenant_id ORDER BY a.seq DESC LIMIT 1;
  NEW.seq := coalesce(prev_seq, 0) + 1;
  NEW.prev_hash := coalesce(prev_hash, repeat('0', 64));
  NEW.created_at := clock_timestamp();
  NEW.hash := encode(sha256(convert_to(NEW.prev_hash || '|' ||
    audit_canonical(NEW.tenant_id, NEW.seq, NEW.user_id, NEW.event_type, NEW.payload, NEW.created_at), 'UTF8')), 'hex');
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();
--> statement-breakpoint

-- Platform tables the runtime reads and writes; the tenant directory is readable for login.
GRANT SELECT, INSERT, UPDATE ON tenants TO qs_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON system_checks, worker_models TO qs_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON market_snapshots TO qs_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO qs_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO qs_app;
--> statement-breakpoint

-- Platform-level events are audited under a reserved tenant with id 0.
INSERT INTO tenants (id, slug, name, status) VALUES (0, 'platform', 'Platform (operators)', 'active') ON CONFLICT DO NOTHING;
--> statement-breakpoint

-- Daily partitions for market snapshots (native partitioning only; TimescaleDB chunks itself).
-- SECURITY DEFINER so the runtime can add a day without owning the table; new partitions get no
-- grants, so qs_app can only ever read through the parent.
CREATE OR REPLACE FUNCTION ensure_market_snapshot_partitions(from_day date, to_day date) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  d date;
  made int := 0;
  part text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'market_snapshots'::regclass) THEN
    RETURN 0;
  END IF;
  IF to_day - from_day > 366 THEN
    RAISE EXCEPTION 'refusing to create more than 366 partitions at once';
  END IF;
  d := from_day;
  WHILE d <= to_day LOOP
    part := 'market_snapshots_' || to_char(d, 'YYYYMMDD');
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF market_snapshots FOR VALUES FROM (%L) TO (%L)',
                     part, (d::timestamp AT TIME ZONE 'Asia/Kolkata'), ((d + 1)::timestamp AT TIME ZONE 'Asia/Kolkata'));
      made := made + 1;
    END IF;
    d := d + 1;
  END LOOP;
  RETURN made;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ensure_market_snapshot_partitions(date, date) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ensure_market_snapshot_partitions(date, date) TO qs_app;
