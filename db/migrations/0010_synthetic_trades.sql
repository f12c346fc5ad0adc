CREATE TABLE "synthetic_trades" (
	"tenant_id" integer NOT NULL,
	"simulation_id" text NOT NULL,
	"persona_id" text NOT NULL,
	"seq" integer NOT NULL,
	"trading_date" date NOT NULL,
	"context_source" text DEFAULT 'synthetic' NOT NULL,
	"is_synthetic" boolean DEFAULT true NOT NULL,
	"persona_archetype" text NOT NULL,
	"bias_type" text NOT NULL,
	"psych_state" text NOT NULL,
	"knob" integer NOT NULL,
	"structure" text NOT NULL,
	"instrument" text NOT NULL,
	"lots" integer NOT NULL,
	"hedged" boolean NOT NULL,
	"futures_lots" integer NOT NULL,
	"entry_minute" integer NOT NULL,
	"exit_minute" integer NOT NULL,
	"exit_reason" text NOT NULL,
	"legs" jsonb NOT NULL,
	"gross_pnl" numeric(18, 2) NOT NULL,
	"charges" numeric(18, 2) NOT NULL,
	"net_pnl" numeric(18, 2) NOT NULL,
	"workflow_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "synthetic_trades_tenant_id_simulation_id_persona_id_seq_pk" PRIMARY KEY("tenant_id","simulation_id","persona_id","seq"),
	CONSTRAINT "synthetic_trades_context_source" CHECK ("synthetic_trades"."context_source" = 'synthetic' AND "synthetic_trades"."is_synthetic"),
	CONSTRAINT "synthetic_trades_sizes" CHECK ("synthetic_trades"."lots" > 0 AND "synthetic_trades"."futures_lots" >= 0)
);
--> statement-breakpoint
ALTER TABLE "synthetic_trades" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "synthetic_trades" ADD CONSTRAINT "synthetic_trades_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "synthetic_trades_tenant_date" ON "synthetic_trades" USING btree ("tenant_id","trading_date");--> statement-breakpoint
CREATE POLICY "synthetic_trades_tenant_isolation" ON "synthetic_trades" AS PERMISSIVE FOR ALL TO public USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);