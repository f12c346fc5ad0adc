-- Model registry rows are global (tenant_id NULL) or one tenant's variant, so the tenant
-- trigger from 0001 (which refuses NULL) is replaced on these tables by one that requires the
-- row's scope to match the transaction's: global rows are written with no tenant set
-- (withoutTenant), a tenant's variant inside withTenant. The policy enforces the same; the
-- trigger gives the clear message.
CREATE OR REPLACE FUNCTION enforce_model_scope() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  current_tenant int := NULLIF(current_setting('app.tenant_id', true), '')::int;
BEGIN
  IF NEW.tenant_id IS DISTINCT FROM current_tenant THEN
    RAISE EXCEPTION '% row for scope % written in a transaction for %: global models are written with no tenant set (withoutTenant), a tenant''s variant inside withTenant',
      TG_TABLE_NAME, coalesce(NEW.tenant_id::text, 'global'), coalesce(current_tenant::text, 'no tenant')
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
SELECT qs_secure_tenant_table('model_promotions');
--> statement-breakpoint
DROP TRIGGER IF EXISTS enforce_tenant_id ON model_versions;
--> statement-breakpoint
CREATE TRIGGER enforce_tenant_id BEFORE INSERT OR UPDATE ON model_versions FOR EACH ROW EXECUTE FUNCTION enforce_model_scope();
--> statement-breakpoint
DROP TRIGGER IF EXISTS enforce_tenant_id ON model_pointers;
--> statement-breakpoint
CREATE TRIGGER enforce_tenant_id BEFORE INSERT OR UPDATE ON model_pointers FOR EACH ROW EXECUTE FUNCTION enforce_model_scope();
--> statement-breakpoint
DROP TRIGGER IF EXISTS enforce_tenant_id ON model_promotions;
--> statement-breakpoint
CREATE TRIGGER enforce_tenant_id BEFORE INSERT OR UPDATE ON model_promotions FOR EACH ROW EXECUTE FUNCTION enforce_model_scope();
--> statement-breakpoint
-- The promotion history is append-only for the runtime.
REVOKE UPDATE, DELETE ON model_promotions FROM qs_app;
