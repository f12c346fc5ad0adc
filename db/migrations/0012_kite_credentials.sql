CREATE TABLE "broker_order_stamps" (
	"account" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "broker_accounts" ADD COLUMN "api_secret_enc" text;--> statement-breakpoint
ALTER TABLE "broker_accounts" ADD COLUMN "access_token_enc" text;--> statement-breakpoint
ALTER TABLE "broker_accounts" ADD COLUMN "token_created_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "broker_accounts" ADD COLUMN "session_status" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "broker_accounts" ADD COLUMN "session_reason" text;--> statement-breakpoint
CREATE INDEX "broker_order_stamps_account_at"
  ON "broker_order_stamps" USING btree ("account","at");--> statement-breakpoint
ALTER TABLE "broker_accounts" ADD CONSTRAINT "broker_accounts_session_status"
  CHECK ("broker_accounts"."session_status" IN ('none', 'active', 'relogin_required'));--> statement-breakpoint
-- Only sealed values (db/secret-box.ts envelopes) fit these columns: plaintext is refused.
ALTER TABLE "broker_accounts" ADD CONSTRAINT "broker_accounts_sealed"
  CHECK (("broker_accounts"."api_secret_enc" IS NULL OR "broker_accounts"."api_secret_enc" LIKE 'qs1:%')
     AND ("broker_accounts"."access_token_enc" IS NULL
          OR "broker_accounts"."access_token_enc" LIKE 'qs1:%'));--> statement-breakpoint
-- Plaintext Kite secrets become sealed ones (AES-256-GCM, db/secret-box.ts). SQL cannot seal
-- them (the key lives only in the processes' environment, never in the database), so existing
-- plaintext is dropped rather than kept readable: the day's token would expire by 06:00 IST
-- anyway, and the API secret is entered again with `qs broker kite setup`.
UPDATE "broker_accounts"
   SET "session_status" = 'relogin_required',
       "session_reason" = 'plaintext credentials were dropped when secrets moved to sealed storage: '
                          || 'enter the API secret again (qs broker kite setup) and log in'
 WHERE "access_token" IS NOT NULL OR "api_secret" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "broker_accounts" DROP COLUMN "access_token";--> statement-breakpoint
ALTER TABLE "broker_accounts" DROP COLUMN "api_secret";--> statement-breakpoint
-- A platform table (tenants sharing a client account share its order limits); accounts are digests.
GRANT SELECT, INSERT, DELETE ON "broker_order_stamps" TO qs_app;
