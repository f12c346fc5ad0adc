-- Broker accounts and the paper broker's book follow the tenant-table pattern (FORCE RLS,
-- tenant trigger, grants to qs_app).
SELECT qs_secure_tenant_table(t::regclass) FROM unnest(ARRAY['broker_accounts', 'paper_accounts', 'paper_orders', 'paper_trades']) AS t;
