DROP POLICY "paper_orders_tenant_isolation" ON "paper_orders" CASCADE;--> statement-breakpoint
DROP TABLE "paper_orders" CASCADE;--> statement-breakpoint
DROP POLICY "paper_trades_tenant_isolation" ON "paper_trades" CASCADE;--> statement-breakpoint
DROP TABLE "paper_trades" CASCADE;--> statement-breakpoint
ALTER TABLE "paper_accounts" ADD COLUMN "exchange_state" jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "paper_accounts" ADD COLUMN "market" jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "paper_accounts" DROP COLUMN "opening_balance";--> statement-breakpoint
ALTER TABLE "paper_accounts" DROP COLUMN "order_seq";