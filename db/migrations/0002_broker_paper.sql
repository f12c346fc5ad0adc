CREATE TABLE "broker_accounts" (
	"tenant_id" integer PRIMARY KEY NOT NULL,
	"broker" text DEFAULT 'paper' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"access_token" text,
	"api_secret" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "broker_accounts_broker" CHECK ("broker_accounts"."broker" IN ('paper', 'kite'))
);
--> statement-breakpoint
ALTER TABLE "broker_accounts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "paper_accounts" (
	"tenant_id" integer PRIMARY KEY NOT NULL,
	"faults" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"opening_balance" numeric(18, 2) DEFAULT '1000000.00' NOT NULL,
	"order_seq" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "paper_accounts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "paper_orders" (
	"tenant_id" integer NOT NULL,
	"order_id" text NOT NULL,
	"tag" text,
	"exchange" text NOT NULL,
	"tradingsymbol" text NOT NULL,
	"side" text NOT NULL,
	"order_type" text NOT NULL,
	"product" text NOT NULL,
	"quantity" integer NOT NULL,
	"price" numeric(14, 4),
	"status" text NOT NULL,
	"filled_quantity" integer DEFAULT 0 NOT NULL,
	"average_price" numeric(14, 4) DEFAULT '0' NOT NULL,
	"status_message" text,
	"plan" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"placed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "paper_orders_tenant_id_order_id_pk" PRIMARY KEY("tenant_id","order_id"),
	CONSTRAINT "paper_orders_quantity" CHECK ("paper_orders"."quantity" > 0 AND "paper_orders"."filled_quantity" >= 0 AND "paper_orders"."filled_quantity" <= "paper_orders"."quantity")
);
--> statement-breakpoint
ALTER TABLE "paper_orders" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "paper_trades" (
	"tenant_id" integer NOT NULL,
	"trade_id" text NOT NULL,
	"order_id" text NOT NULL,
	"tradingsymbol" text NOT NULL,
	"side" text NOT NULL,
	"quantity" integer NOT NULL,
	"price" numeric(14, 4) NOT NULL,
	"filled_at" timestamp with time zone NOT NULL,
	CONSTRAINT "paper_trades_tenant_id_trade_id_pk" PRIMARY KEY("tenant_id","trade_id"),
	CONSTRAINT "paper_trades_quantity" CHECK ("paper_trades"."quantity" > 0)
);
--> statement-breakpoint
ALTER TABLE "paper_trades" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "broker_accounts" ADD CONSTRAINT "broker_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_accounts" ADD CONSTRAINT "paper_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_orders" ADD CONSTRAINT "paper_orders_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_trades" ADD CONSTRAINT "paper_trades_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "paper_orders_tenant_tag" ON "paper_orders" USING btree ("tenant_id","tag");--> statement-breakpoint
CREATE INDEX "paper_trades_tenant_order" ON "paper_trades" USING btree ("tenant_id","order_id");--> statement-breakpoint
CREATE POLICY "broker_accounts_tenant_isolation" ON "broker_accounts" AS PERMISSIVE FOR ALL TO public USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);--> statement-breakpoint
CREATE POLICY "paper_accounts_tenant_isolation" ON "paper_accounts" AS PERMISSIVE FOR ALL TO public USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);--> statement-breakpoint
CREATE POLICY "paper_orders_tenant_isolation" ON "paper_orders" AS PERMISSIVE FOR ALL TO public USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);--> statement-breakpoint
CREATE POLICY "paper_trades_tenant_isolation" ON "paper_trades" AS PERMISSIVE FOR ALL TO public USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);