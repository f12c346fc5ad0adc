-- The tenant API's tables and the tenants table's new privileges.
-- Rate-limit windows: a platform table (keys are SHA-256 digests of tenant or client, never an address).
CREATE TABLE "api_rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "api_rate_limits_window" ON "api_rate_limits" USING btree ("window_start");
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON api_rate_limits TO qs_app;
--> statement-breakpoint
-- Invitations and password resets: single-use tokens (stored as SHA-256 digests) with an expiry.
CREATE TABLE "user_tokens" (
	"tenant_id" integer NOT NULL REFERENCES tenants(id),
	"digest" text NOT NULL,
	"purpose" text NOT NULL,
	"email" text NOT NULL,
	"role" text,
	"user_id" integer,
	"created_by" integer,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_tokens_pk" PRIMARY KEY ("tenant_id", "digest"),
	CONSTRAINT "user_tokens_purpose" CHECK ("purpose" IN ('invite', 'reset')),
	CONSTRAINT "user_tokens_role" CHECK ("role" IS NULL OR "role" IN ('operator', 'admin', 'trader'))
);
--> statement-breakpoint
CREATE POLICY "user_tokens_tenant_isolation" ON "user_tokens" AS PERMISSIVE FOR ALL TO public USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);
--> statement-breakpoint
SELECT qs_secure_tenant_table('user_tokens');
--> statement-breakpoint
-- The API's event outbox: written in the transaction that changes the state, then NOTIFY
-- qs_api_events (the id) so every API node reads it and emits to the tenant's room.
CREATE TABLE "api_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" integer NOT NULL REFERENCES tenants(id),
	"channel" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_events_channel" CHECK ("channel" IN ('decisions', 'orders', 'positions', 'pnl', 'trading-state', 'gates'))
);
--> statement-breakpoint
CREATE INDEX "api_events_tenant_channel" ON "api_events" USING btree ("tenant_id", "channel", "id");
--> statement-breakpoint
CREATE POLICY "api_events_tenant_isolation" ON "api_events" AS PERMISSIVE FOR ALL TO public USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);
--> statement-breakpoint
SELECT qs_secure_tenant_table('api_events');
--> statement-breakpoint
-- The runtime no longer changes tenants: it may read them and create them, and a new tenant is
-- never born armed or suspended, whoever inserts it.
REVOKE UPDATE, DELETE, TRUNCATE ON tenants FROM qs_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tenants_born_unarmed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.live_armed := false;
  NEW.status := 'active';
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER tenants_born_unarmed BEFORE INSERT ON tenants FOR EACH ROW EXECUTE FUNCTION tenants_born_unarmed();
--> statement-breakpoint
-- Arming (the tenant half of the dry-run lock) has one path for the runtime: this function, run
-- as its owner, which changes live_armed only for an admin of that tenant (or a platform admin)
-- and writes the audit row in the same transaction.
CREATE OR REPLACE FUNCTION qs_set_live_armed(p_tenant int, p_armed boolean, p_actor int, p_reason text)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  actor_role text;
  actor_tenant int;
  was boolean;
BEGIN
  IF p_reason IS NULL OR length(btrim(p_reason)) = 0 THEN
    RAISE EXCEPTION 'a reason is required to change live arming' USING ERRCODE = 'check_violation';
  END IF;
  -- users is under forced RLS: read the actor as its own tenant, then as the platform.
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  SELECT role, tenant_id INTO actor_role, actor_tenant FROM users WHERE id = p_actor AND tenant_id = p_tenant;
  IF actor_role IS NULL THEN
    PERFORM set_config('app.tenant_id', '0', true);
    SELECT role, tenant_id INTO actor_role, actor_tenant FROM users WHERE id = p_actor AND tenant_id = 0;
  END IF;
  IF actor_role IS DISTINCT FROM 'admin' THEN
    RAISE EXCEPTION 'only an admin of the tenant or of the platform may change live arming'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT live_armed INTO was FROM tenants WHERE id = p_tenant AND id <> 0 FOR UPDATE;
  IF was IS NULL THEN
    RAISE EXCEPTION 'no tenant %', p_tenant USING ERRCODE = 'no_data_found';
  END IF;
  UPDATE tenants SET live_armed = p_armed WHERE id = p_tenant;
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  INSERT INTO audit_log (tenant_id, user_id, event_type, payload, seq, prev_hash, hash)
  VALUES (p_tenant, p_actor, CASE WHEN p_armed THEN 'live.armed' ELSE 'live.disarmed' END,
          jsonb_build_object('was', was, 'armed', p_armed, 'reason', p_reason, 'actorTenant', actor_tenant),
          0, '', '');
  RETURN p_armed;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION qs_set_live_armed(int, boolean, int, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION qs_set_live_armed(int, boolean, int, text) TO qs_app;
