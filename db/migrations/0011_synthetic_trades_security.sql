-- Synthetic persona trades follow the tenant-table pattern (FORCE RLS, tenant trigger, qs_app grants).
SELECT qs_secure_tenant_table('synthetic_trades');
--> statement-breakpoint

-- Rule 2: the persona worker connects as its own role, which may write and read synthetic trades
-- and nothing else: no broker accounts, orders, fills, positions, trades or paper broker state.
-- NOLOGIN here; the stack turns on login with a password it derives (db/persona-role.ts), so no
-- password lives in a migration. Subject to RLS like qs_app (the table's policy is TO public).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qs_persona') THEN
    CREATE ROLE qs_persona NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO qs_persona;
--> statement-breakpoint
GRANT SELECT, INSERT ON synthetic_trades TO qs_persona;
