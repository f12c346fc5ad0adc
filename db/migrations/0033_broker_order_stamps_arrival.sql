-- A stamp brackets its request (db/broker-rate.ts): `at` is when its slot was taken, before the
-- request left; `arrived_by` the latest the broker can have received it (its timeout while in
-- flight, its answer's time once answered). The windows count `arrived_by`, so no delay between
-- the stamp and the broker's counter can put an 11th order into one of its seconds.
ALTER TABLE "broker_order_stamps" ADD COLUMN "id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY;--> statement-breakpoint
ALTER TABLE "broker_order_stamps" ADD COLUMN "arrived_by" timestamp with time zone;--> statement-breakpoint
UPDATE "broker_order_stamps" SET "arrived_by" = "at";--> statement-breakpoint
ALTER TABLE "broker_order_stamps" ALTER COLUMN "arrived_by" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "broker_order_stamps_account_arrived_by"
  ON "broker_order_stamps" USING btree ("account","arrived_by");--> statement-breakpoint
GRANT UPDATE ("arrived_by") ON "broker_order_stamps" TO qs_app;
