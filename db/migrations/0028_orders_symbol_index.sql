-- tenant_profile's fetcher finds, for each filled leg, the first later opposite order on the same
-- symbol (its exit, a square-off): without this it scans every order of the tenant per leg.
CREATE INDEX IF NOT EXISTS "orders_tenant_symbol" ON "orders" ("tenant_id", "tradingsymbol", "id");
