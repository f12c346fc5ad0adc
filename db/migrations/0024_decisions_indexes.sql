-- decide reads, per decision, the lots a tenant decided today and its latest decisions on the
-- instrument (the drift monitor's window): without these, both scan every decision the tenant made.
CREATE INDEX IF NOT EXISTS "decisions_tenant_date" ON "decisions" ("tenant_id", "trading_date");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "decisions_tenant_instrument_created" ON "decisions" ("tenant_id", "instrument", "created_at");
