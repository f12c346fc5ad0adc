-- Sessions ended by a logout: qs_session tokens are stateless (HMAC-signed), so a token logged out
-- before its expiry is refused by its SHA-256 digest until then. A platform table: it holds digests,
-- never a token, and rows past their token's expiry are pruned.
CREATE TABLE "session_revocations" (
	"digest" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "session_revocations_expires" ON "session_revocations" USING btree ("expires_at");
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON session_revocations TO qs_app;
