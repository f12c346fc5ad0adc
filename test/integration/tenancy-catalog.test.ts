/** The tenant-table pattern holds for every table with a tenant column, checked in the catalog. */
import { tenantTableViolations } from '../../db/catalog';
import { testPool } from '../support/env';

describe('tenant table catalog', () => {
  it(
    'every tenant table has forced RLS, ' +
      'a USING + WITH CHECK policy and the tenant trigger; audit_log is append-only for qs_app',
    async () => {
      const admin = testPool('admin');
      const c = await admin.connect();
      try {
        expect(await tenantTableViolations(c)).toEqual([]);
        const { rows } = await c.query(
          `SELECT count(*)::int AS n FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid
          WHERE a.attname = 'tenant_id' AND cl.relkind IN ('r','p') AND cl.relnamespace = 'public'::regnamespace`,
        );
        expect(rows[0].n).toBeGreaterThanOrEqual(12); // the check really looked at tables
      } finally {
        c.release();
      }
    },
  );

  it('fails when someone adds a tenant table without the pattern', async () => {
    const c = await testPool('admin').connect();
    try {
      await c.query('BEGIN');
      await c.query('CREATE TABLE careless_notes (id int PRIMARY KEY, tenant_id int NOT NULL, body text)');
      await c.query('CREATE TABLE half_done (id int PRIMARY KEY, tenant_id int NOT NULL)');
      await c.query('ALTER TABLE half_done ENABLE ROW LEVEL SECURITY');
      await c.query(
        `CREATE POLICY p ON half_done FOR SELECT
          USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int)`,
      );
      const v = await tenantTableViolations(c);
      expect(v).toEqual(
        expect.arrayContaining([
          { table: 'careless_notes', problem: 'row-level security is not enabled' },
          { table: 'careless_notes', problem: 'row-level security is not forced (the owner would bypass it)' },
          {
            table: 'careless_notes',
            problem: 'no policy FOR ALL with USING and WITH CHECK comparing tenant_id to app.tenant_id',
          },
          { table: 'half_done', problem: 'row-level security is not forced (the owner would bypass it)' },
          {
            table: 'half_done',
            problem: 'no policy FOR ALL with USING and WITH CHECK comparing tenant_id to app.tenant_id',
          },
          {
            table: 'half_done',
            problem: 'no enforce_tenant_id trigger (an insert without a tenant would not get a clear error)',
          },
        ]),
      );
      // The shared helper fixes a table completely.
      await c.query("SELECT qs_secure_tenant_table('careless_notes')");
      await c.query(`CREATE POLICY careless_notes_tenant_isolation ON careless_notes FOR ALL
                     USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int)
                     WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int)`);
      expect((await tenantTableViolations(c)).filter((x) => x.table === 'careless_notes')).toEqual([]);
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });
});
