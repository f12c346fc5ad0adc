-- One summary row per (tenant, trading date), written by the TradingDay workflow at its end.
CREATE TABLE "trading_days" (
	"tenant_id" integer NOT NULL,
	"trading_date" date NOT NULL,
	"workflow_id" text NOT NULL,
	"run_id" text NOT NULL,
	"mode" text NOT NULL,
	"status" text NOT NULL,
	"final_state" text NOT NULL,
	"decisions" integer NOT NULL,
	"trades" integer NOT NULL,
	"refusals" jsonb NOT NULL,
	"pnl" numeric(18, 2) NOT NULL,
	"costs" numeric(18, 2) NOT NULL,
	"max_drawdown" numeric(18, 2) NOT NULL,
	"summary" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trading_days_tenant_id_trading_date_pk" PRIMARY KEY("tenant_id","trading_date")
);
--> statement-breakpoint
ALTER TABLE "trading_days" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "trading_days" ADD CONSTRAINT "trading_days_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "trading_days_tenant_isolation" ON "trading_days" AS PERMISSIVE FOR ALL TO public USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);--> statement-breakpoint
-- The tenant-table pattern: FORCE RLS, the tenant trigger, grants to qs_app.
SELECT qs_secure_tenant_table('trading_days');
