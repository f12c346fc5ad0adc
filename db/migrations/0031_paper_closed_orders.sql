-- The paper exchange's final orders leave its state document. The whole document is read FOR
-- UPDATE and rewritten on every paper broker call, and it kept every order the tenant ever placed:
-- 39 KB after 60 orders, growing for as long as the tenant trades, every call slower than the last.
-- A final order never changes again, so it is written here once (domain ExchangeOrder as JSON) and
-- read back only when asked for by id, by tag or for the whole book.
CREATE TABLE "paper_closed_orders" (
	"tenant_id" integer NOT NULL REFERENCES "tenants"("id"),
	"order_id" text NOT NULL,
	"seq" integer NOT NULL,
	"tag" text,
	"exchange_order" jsonb NOT NULL,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL,
	PRIMARY KEY ("tenant_id", "order_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "paper_closed_orders_tag" ON "paper_closed_orders" USING btree ("tenant_id", "tag");
--> statement-breakpoint
CREATE POLICY "paper_closed_orders_tenant_isolation" ON "paper_closed_orders" AS PERMISSIVE FOR ALL TO public
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);
--> statement-breakpoint
SELECT qs_secure_tenant_table('paper_closed_orders');
