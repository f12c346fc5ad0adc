/**
 * Reads the Postgres catalog and lists every way a table with a tenant column breaks the
 * tenant-table pattern: RLS not enabled or not forced, no ALL-commands policy with USING and
 * WITH CHECK on app.tenant_id, no tenant trigger, a partition readable around its parent, or
 * audit_log privileges beyond INSERT/SELECT. An empty list means the pattern holds everywhere.
 */
import type { ClientBase } from 'pg';

export interface Violation {
  table: string;
  problem: string;
}

export async function tenantTableViolations(c: ClientBase, schema = 'public'): Promise<Violation[]> {
  const violations: Violation[] = [];
  const { rows: tables } = await c.query<{
    oid: number;
    name: string;
    rls: boolean;
    forced: boolean;
    partition_of: string | null;
  }>(
    `SELECT cl.oid, cl.relname AS name, cl.relrowsecurity AS rls, cl.relforcerowsecurity AS forced,
            (SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
              WHERE i.inhrelid = cl.oid) AS partition_of
       FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace
       JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
      WHERE n.nspname = $1 AND cl.relkind IN ('r', 'p')
      ORDER BY cl.relname`,
    [schema],
  );
  for (const t of tables) {
    const v = (problem: string) => violations.push({ table: t.name, problem });
    if (!t.rls) v('row-level security is not enabled');
    if (!t.forced) v('row-level security is not forced (the owner would bypass it)');
    if (t.partition_of) {
      const { rows } = await c.query<{ ok: boolean }>(`SELECT has_table_privilege('qs_app', $1::oid, 'SELECT') AS ok`, [
        t.oid,
      ]);
      if (rows[0].ok) v(`qs_app can read this partition of ${t.partition_of} directly`);
      continue; // partitions are reached through the parent's policy
    }
    const { rows: policies } = await c.query<{ cmd: string; using: string | null; check: string | null }>(
      `SELECT polcmd AS cmd, pg_get_expr(polqual, polrelid) AS using, pg_get_expr(polwithcheck, polrelid) AS check
         FROM pg_policy WHERE polrelid = $1`,
      [t.oid],
    );
    const good = policies.some(
      (p) =>
        p.cmd === '*' &&
        p.using?.includes("current_setting('app.tenant_id'") &&
        p.check?.includes("current_setting('app.tenant_id'") &&
        p.using.includes('tenant_id'),
    );
    if (!good) v('no policy FOR ALL with USING and WITH CHECK comparing tenant_id to app.tenant_id');
    const { rows: triggers } = await c.query<{ name: string }>(
      `SELECT tgname AS name FROM pg_trigger
        WHERE tgrelid = $1 AND NOT tgisinternal AND tgname IN ('enforce_tenant_id', 'audit_log_chain')`,
      [t.oid],
    );
    if (triggers.length === 0)
      v('no enforce_tenant_id trigger (an insert without a tenant would not get a clear error)');
  }
  const { rows: audit } = await c.query<{ upd: boolean; del: boolean; trunc: boolean; ins: boolean; sel: boolean }>(
    `SELECT has_table_privilege('qs_app', 'audit_log', 'UPDATE') AS upd,
            has_table_privilege('qs_app', 'audit_log', 'DELETE') AS del,
            has_table_privilege('qs_app', 'audit_log', 'TRUNCATE') AS trunc,
            has_table_privilege('qs_app', 'audit_log', 'INSERT') AS ins,
            has_table_privilege('qs_app', 'audit_log', 'SELECT') AS sel`,
  );
  const a = audit[0];
  if (a.upd || a.del || a.trunc)
    violations.push({ table: 'audit_log', problem: 'qs_app may UPDATE, DELETE or TRUNCATE the audit log' });
  if (!a.ins || !a.sel)
    violations.push({ table: 'audit_log', problem: 'qs_app cannot INSERT and SELECT the audit log' });
  // Arming and suspension go through qs_set_live_armed (SECURITY DEFINER, audited), never a plain UPDATE.
  const { rows: tenantGrants } = await c.query<{ upd: boolean; del: boolean }>(
    `SELECT has_table_privilege('qs_app', 'tenants', 'UPDATE') AS upd,
            has_table_privilege('qs_app', 'tenants', 'DELETE') AS del`,
  );
  if (tenantGrants[0].upd || tenantGrants[0].del)
    violations.push({
      table: 'tenants',
      problem: 'qs_app may UPDATE or DELETE tenants (arming must go through qs_set_live_armed)',
    });
  const { rows: role } = await c.query<{ rolsuper: boolean; rolbypassrls: boolean; owns: number }>(
    `SELECT rolsuper, rolbypassrls, (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owns
       FROM pg_roles r WHERE rolname = 'qs_app'`,
  );
  if (role[0].rolsuper || role[0].rolbypassrls)
    violations.push({ table: '(role qs_app)', problem: 'qs_app is a superuser or bypasses RLS' });
  if (role[0].owns > 0)
    violations.push({ table: '(role qs_app)', problem: 'qs_app owns relations (owners can disable RLS)' });
  return violations;
}
