-- A tenant's tail-hedge settings: the TailHedgeRoll workflow rolls ~5-delta puts before expiry.
CREATE TABLE "hedge_settings" (
	"tenant_id" integer PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"instrument" text DEFAULT 'NIFTY' NOT NULL,
	"target_delta" numeric(5, 2) DEFAULT '5' NOT NULL,
	"window_days" integer DEFAULT 5 NOT NULL,
	"budget_pct" numeric(7, 4) DEFAULT '2' NOT NULL,
	"lots" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hedge_settings_instrument" CHECK ("hedge_settings"."instrument" IN ('NIFTY', 'BANKNIFTY')),
	CONSTRAINT "hedge_settings_delta" CHECK ("hedge_settings"."target_delta" > 0 AND "hedge_settings"."target_delta" < 50),
	CONSTRAINT "hedge_settings_window" CHECK ("hedge_settings"."window_days" >= 0 AND "hedge_settings"."window_days" <= 60),
	CONSTRAINT "hedge_settings_budget" CHECK ("hedge_settings"."budget_pct" > 0 AND "hedge_settings"."budget_pct" <= 100),
	CONSTRAINT "hedge_settings_lots" CHECK ("hedge_settings"."lots" > 0)
);
--> statement-breakpoint
ALTER TABLE "hedge_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "hedge_settings" ADD CONSTRAINT "hedge_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "hedge_settings_tenant_isolation" ON "hedge_settings" AS PERMISSIVE FOR ALL TO public USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);--> statement-breakpoint
-- The tenant-table pattern: FORCE RLS, the tenant trigger, grants to qs_app.
SELECT qs_secure_tenant_table('hedge_settings');
