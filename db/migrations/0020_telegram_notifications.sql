-- Telegram notifications. The platform's bot (its token sealed with QS_SECRETS_KEY, the Bot API
-- root, the getUpdates offset) is a row of the platform tenant; links, one-time link codes and
-- notifications are tenant rows. The audit log is the outbox: each link reads it past its cursor.
CREATE TABLE "telegram_bot" (
	"tenant_id" integer PRIMARY KEY NOT NULL REFERENCES "tenants"("id"),
	"token_sealed" text NOT NULL,
	"api_root" text NOT NULL,
	"bot_username" text,
	"update_offset" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE POLICY "telegram_bot_tenant_isolation" ON "telegram_bot" AS PERMISSIVE FOR ALL TO public
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);
--> statement-breakpoint
SELECT qs_secure_tenant_table('telegram_bot');
--> statement-breakpoint
-- Only a digest of a code is kept; a code is used once (linked or refused) and expires.
CREATE TABLE "telegram_link_codes" (
	"tenant_id" integer NOT NULL REFERENCES "tenants"("id"),
	"digest" text NOT NULL,
	"user_id" integer NOT NULL REFERENCES "users"("id"),
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"outcome" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	PRIMARY KEY ("tenant_id", "digest")
);
--> statement-breakpoint
CREATE POLICY "telegram_link_codes_tenant_isolation" ON "telegram_link_codes" AS PERMISSIVE FOR ALL TO public
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);
--> statement-breakpoint
SELECT qs_secure_tenant_table('telegram_link_codes');
--> statement-breakpoint
-- A private chat with the linking Telegram user (chat id = user id); audit_cursor is the last
-- audit seq this link has turned into notifications (a new link starts at the log's end).
CREATE TABLE "telegram_links" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL REFERENCES "tenants"("id"),
	"user_id" integer NOT NULL REFERENCES "users"("id"),
	"chat_id" bigint NOT NULL,
	"telegram_user_id" bigint NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"audit_cursor" bigint NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "telegram_links_status" CHECK ("status" IN ('active', 'refused', 'replaced'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "telegram_links_one_active" ON "telegram_links" ("tenant_id", "user_id") WHERE status = 'active';
--> statement-breakpoint
CREATE POLICY "telegram_links_tenant_isolation" ON "telegram_links" AS PERMISSIVE FOR ALL TO public
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);
--> statement-breakpoint
SELECT qs_secure_tenant_table('telegram_links');
--> statement-breakpoint
GRANT USAGE ON SEQUENCE telegram_links_id_seq TO qs_app;
--> statement-breakpoint
-- One row per (link, audit event): the delivery's idempotency key. 'sending' is written before
-- the Bot API call and 'sent' after it; a 'sending' row found by a later attempt is unconfirmed
-- (Telegram has no idempotency key, so it is never sent twice).
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL REFERENCES "tenants"("id"),
	"link_id" bigint NOT NULL REFERENCES "telegram_links"("id"),
	"audit_seq" bigint NOT NULL,
	"event_type" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"claimed_by" text,
	"attempt_started_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"telegram_message_id" bigint,
	"detail" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_event" UNIQUE ("tenant_id", "link_id", "audit_seq"),
	CONSTRAINT "notifications_status" CHECK ("status" IN ('pending', 'sending', 'sent', 'refused', 'failed', 'unconfirmed'))
);
--> statement-breakpoint
CREATE INDEX "notifications_open" ON "notifications" ("tenant_id", "id") WHERE status IN ('pending', 'sending');
--> statement-breakpoint
CREATE POLICY "notifications_tenant_isolation" ON "notifications" AS PERMISSIVE FOR ALL TO public
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);
--> statement-breakpoint
SELECT qs_secure_tenant_table('notifications');
--> statement-breakpoint
GRANT USAGE ON SEQUENCE notifications_id_seq TO qs_app;
