ALTER TABLE "orders" ADD COLUMN "resolution" text;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD COLUMN "accounted_orders" integer;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_resolution" CHECK ("orders"."resolution" IS NULL OR "orders"."resolution" = 'never_sent');