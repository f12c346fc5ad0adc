-- Layer 1's production pool. A factor without a row is in production (the library's default);
-- one the weekly FactorEvaluation de-promoted has status 'candidate' and is switched off: decide
-- hands it to the signal stack as missing (its training mean), so it no longer moves a decision.
CREATE TABLE "factor_pool" (
	"factor" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"direction" smallint,
	"reason" text NOT NULL,
	"period" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "factor_pool_status" CHECK ("status" IN ('production', 'candidate')),
	CONSTRAINT "factor_pool_direction" CHECK ("direction" IS NULL OR "direction" IN (-1, 1))
);
--> statement-breakpoint
-- One out-of-sample IC per (factor, week): written once, read back by later weeks' rolling windows.
CREATE TABLE "factor_ics" (
	"factor" text NOT NULL,
	"period" text NOT NULL,
	"target" text NOT NULL,
	"ic" double precision,
	"n" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	PRIMARY KEY ("factor", "period")
);
--> statement-breakpoint
-- Each week's review of each factor, with the figures it was decided on.
CREATE TABLE "factor_reviews" (
	"factor" text NOT NULL,
	"period" text NOT NULL,
	"action" text NOT NULL,
	"from_status" text NOT NULL,
	"to_status" text NOT NULL,
	"direction" smallint,
	"reason" text NOT NULL,
	"rolling_ic" double precision,
	"t_stat" double precision,
	"periods" integer NOT NULL,
	"ic_trend" double precision,
	"workflow_id" text NOT NULL,
	"run_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	PRIMARY KEY ("factor", "period")
);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "factor_pool", "factor_ics", "factor_reviews" TO qs_app;
--> statement-breakpoint
-- A tenant's own risk limits (no row: the defaults in domain/decision/limits.ts).
CREATE TABLE "tenant_limits" (
	"tenant_id" integer PRIMARY KEY NOT NULL REFERENCES "tenants"("id"),
	"max_lots_per_order" integer NOT NULL,
	"max_lots_per_day" integer NOT NULL,
	"max_open_lots" integer NOT NULL,
	"max_daily_loss" numeric(18, 2) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_limits_positive" CHECK (
		"max_lots_per_order" > 0 AND "max_lots_per_day" > 0 AND "max_open_lots" > 0 AND "max_daily_loss" > 0
	)
);
--> statement-breakpoint
CREATE POLICY "tenant_limits_tenant_isolation" ON "tenant_limits" AS PERMISSIVE FOR ALL TO public
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);
--> statement-breakpoint
SELECT qs_secure_tenant_table('tenant_limits');
