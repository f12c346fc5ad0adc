-- decide sums the lots a tenant decided today that trade (trade, placing, filled). The index on
-- (tenant_id, trading_date) visits every decision of the day and filters most of them out; this
-- one holds only those that trade, with their lots.
CREATE INDEX IF NOT EXISTS "decisions_tenant_date_trading_lots" ON "decisions" ("tenant_id", "trading_date") INCLUDE ("lots") WHERE "status" IN ('trade', 'placing', 'filled');
