CREATE TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"blocked_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "login_throttle_scope" CHECK ("login_throttle"."scope" IN ('account', 'client'))
);
--> statement-breakpoint
CREATE INDEX "login_throttle_updated_at" ON "login_throttle" USING btree ("updated_at");