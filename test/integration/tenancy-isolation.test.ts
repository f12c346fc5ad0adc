/**
 * Tenant isolation as the runtime role (qs_app) on a real Postgres: cross-tenant reads see
 * nothing, cross-tenant writes fail, no tenant set sees nothing, and a randomized probe over
 * every tenant table × random tenant pairs finds no leak.
 */
import fc from 'fast-check';
import type { Pool } from 'pg';
import { withTenant } from '../../db/tenant';
import { tenantTableViolations } from '../../db/catalog';
import { TENANT_TABLE_FIXTURES } from '../support/tenant-fixtures';
import { testPool } from '../support/env';

const ROWS_PER_TENANT = 3;
const TENANTS = 5;

async function tenantTables(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT cl.relname AS name FROM pg_class cl JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attname = 'tenant_id'
      WHERE cl.relnamespace = 'public'::regnamespace AND cl.relkind IN ('r','p') AND NOT cl.relispartition ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

describe('tenant isolation as qs_app', () => {
  const app = testPool('app');
  let tables: string[];
  let tenants: number[];
  const appendOnly = new Set<string>();
  /** Rows each tenant legitimately has in each table. */
  const own = new Map<string, number>();

  beforeAll(async () => {
    tables = await tenantTables(app);
    for (const t of tables) {
      const { rows } = await app.query("SELECT has_table_privilege('qs_app', $1, 'UPDATE') AS upd", [t]);
      if (!rows[0].upd) appendOnly.add(t);
    }
    tenants = [];
    for (let i = 0; i < TENANTS; i++) {
      const { rows } = await app.query('INSERT INTO tenants (slug, name) VALUES ($1, $1) RETURNING id', [
        `iso-${process.pid}-${i}`,
      ]);
      tenants.push(rows[0].id);
    }
    for (const t of tenants) {
      await withTenant(app, t, async ({ client }) => {
        for (const table of tables) {
          const insert = TENANT_TABLE_FIXTURES[table];
          if (!insert) continue;
          for (let n = 0; n < ROWS_PER_TENANT; n++) await insert(client, t, n);
        }
      });
      for (const table of tables) {
        const { rows } = await withTenant(app, t, ({ client }) =>
          client.query(`SELECT count(*)::int AS n FROM ${table}`),
        );
        own.set(`${table}/${t}`, rows[0].n);
      }
    }
  });

  it('has a fixture for every tenant table (so the probe covers them all)', () => {
    expect(tables.filter((t) => !TENANT_TABLE_FIXTURES[t])).toEqual([]);
    expect(tables.length).toBeGreaterThanOrEqual(12);
  });

  it('the runtime role cannot step around RLS', async () => {
    const c = await app.connect();
    try {
      expect(await tenantTableViolations(c)).toEqual([]);
      const { rows } = await c.query('SELECT current_user AS u');
      expect(rows[0].u).toBe('qs_app');
    } finally {
      c.release();
    }
  });

  it('with no tenant set, every tenant table shows zero tenant rows', async () => {
    for (const table of tables) {
      // (The model registry's global rows, tenant_id NULL, are the ones meant to be seen here.)
      const { rows } = await app.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id IS NOT NULL`);
      expect({ table, n: rows[0].n }).toEqual({ table, n: 0 });
    }
  });

  it('an insert without a tenant id gets a clear error', async () => {
    await expect(
      withTenant(app, tenants[0], ({ client }) =>
        client.query("INSERT INTO kill_switches (scope, active, reason) VALUES ('tenant', true, 'x')"),
      ),
    ).rejects.toThrow('tenant_id required: kill_switches rows belong to a tenant (run the write inside withTenant)');
  });

  it(`a randomized probe (every tenant table × random tenant pairs, ≥ 1000 probes) finds no leak`, async () => {
    let probes = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...tables),
        fc.integer({ min: 0, max: TENANTS - 1 }),
        fc.integer({ min: 0, max: TENANTS - 1 }),
        async (table, ai, bi) => {
          fc.pre(ai !== bi);
          const [a, b] = [tenants[ai], tenants[bi]];
          probes++;
          await withTenant(app, a, async ({ client }) => {
            const seen = await client.query(
              `SELECT count(*)::int AS n, count(*) FILTER (WHERE tenant_id IS DISTINCT FROM $1)::int AS foreign
                 FROM ${table}`,
              [a],
            );
            expect(seen.rows[0]).toEqual({ n: own.get(`${table}/${a}`), foreign: 0 });
            const other = await client.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [b]);
            expect(other.rows[0].n).toBe(0);
            await client.query('SAVEPOINT probe');
            if (appendOnly.has(table)) {
              // Append-only tables (audit_log, model_promotions): qs_app has no UPDATE at all.
              await expect(
                client.query(`UPDATE ${table} SET tenant_id = tenant_id WHERE tenant_id = $1`, [b]),
              ).rejects.toThrow(/permission denied/);
              await client.query('ROLLBACK TO SAVEPOINT probe');
            } else {
              const upd = await client.query(`UPDATE ${table} SET tenant_id = tenant_id WHERE tenant_id = $1`, [b]);
              expect(upd.rowCount).toBe(0);
              const del = await client.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [b]);
              expect(del.rowCount).toBe(0);
            }
            await expect(TENANT_TABLE_FIXTURES[table](client, b, 1000 + probes)).rejects.toThrow(
              /row-level security|violates|written in a transaction for/,
            );
            await client.query('ROLLBACK TO SAVEPOINT probe');
          });
        },
      ),
      { numRuns: 1000, seed: 20261123 },
    );
    expect(probes).toBeGreaterThanOrEqual(1000); // numRuns counts only runs that pass fc.pre (a ≠ b)
    console.log(`tenant isolation probe: ${probes} probes over ${tables.length} tables × ${TENANTS} tenants, no leak`);
  });

  it('cross-tenant update of a row to another tenant is refused', async () => {
    await expect(
      withTenant(app, tenants[0], ({ client }) =>
        client.query('UPDATE orders SET tenant_id = $1 WHERE tenant_id = $2', [tenants[1], tenants[0]]),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
