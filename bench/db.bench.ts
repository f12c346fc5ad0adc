/**
 * npm run bench:db [-- --n 5000 --concurrency 8]
 * Tenant-scoped transactions per second (set_config + small insert under forced RLS) against,
 * in the same run on the same server, the same insert into an identical table without RLS.
 */
import { Client } from 'pg';
import { startEphemeralServers } from '../stack/ephemeral-servers';
import { createPool } from '../db/client';
import { withTenant, inTransaction } from '../db/tenant';
import { formatSummary, intFlag, runConcurrent, summarize } from './stats';
import { runBench } from './harness';

async function main(): Promise<void> {
  const n = intFlag('n', 5000);
  const concurrency = intFlag('concurrency', 8);
  const servers = await startEphemeralServers({ bundle: false });
  const admin = new Client({ connectionString: servers.db.adminUrl });
  await admin.connect();
  const pool = createPool(servers.db.appUrl, { max: concurrency });
  try {
    // Two identical tables; one follows the tenant-table pattern, the other has no RLS.
    await admin.query(`
      CREATE TABLE bench_rls (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id int NOT NULL REFERENCES tenants(id), body text NOT NULL);
      CREATE TABLE bench_plain (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id int NOT NULL REFERENCES tenants(id), body text NOT NULL);
      SELECT qs_secure_tenant_table('bench_rls');
      CREATE POLICY bench_rls_tenant_isolation ON bench_rls FOR ALL
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int);
      GRANT SELECT, INSERT ON bench_plain TO qs_app;
      INSERT INTO tenants (slug, name) SELECT 'bench-' || g, 'Bench ' || g FROM generate_series(1, 16) g;`);
    const { rows } = await pool.query<{ id: number }>("SELECT id FROM tenants WHERE slug LIKE 'bench-%' ORDER BY id");
    const tenants = rows.map((r) => r.id);
    const tenantOf = (i: number) => tenants[i % tenants.length];

    const plain = () =>
      runConcurrent(n, concurrency, (i) =>
        inTransaction(pool, (c) =>
          c.query('INSERT INTO bench_plain (tenant_id, body) VALUES ($1, $2)', [tenantOf(i), `row ${i}`]),
        ).then(() => undefined),
      );
    const plainWithSetConfig = () =>
      runConcurrent(n, concurrency, (i) =>
        inTransaction(pool, async (c) => {
          await c.query("SELECT set_config('app.tenant_id', $1, true)", [String(tenantOf(i))]);
          await c.query('INSERT INTO bench_plain (tenant_id, body) VALUES ($1, $2)', [tenantOf(i), `row ${i}`]);
        }),
      );
    const rls = () =>
      runConcurrent(n, concurrency, (i) =>
        withTenant(pool, tenantOf(i), ({ client }) =>
          client.query('INSERT INTO bench_rls (tenant_id, body) VALUES ($1, $2)', [tenantOf(i), `row ${i}`]),
        ).then(() => undefined),
      );

    await plain(); // warm-up
    await rls();
    const results = [
      ['no RLS, insert only', await plain()],
      ['no RLS, set_config + insert', await plainWithSetConfig()],
      ['forced RLS (withTenant)', await rls()],
    ] as const;
    console.log(
      `\nbench:db — ${n} transactions each, ${concurrency} concurrent, ` + 'embedded PostgreSQL on this machine',
    );
    const s = results.map(([label, r]) => [label, summarize(r.samples, r.wallMs)] as const);
    for (const [label, sum] of s) console.log(formatSummary(label, sum));
    const base = s[0][1];
    const tenantScoped = s[2][1];
    console.log(
      `ratio forced RLS / no RLS: throughput ×${(tenantScoped.perSecond / base.perSecond).toFixed(2)}, ` +
        `p50 ×${(tenantScoped.p50 / base.p50).toFixed(2)}, p99 ×${(tenantScoped.p99 / base.p99).toFixed(2)}` +
        '; vs the same set_config + insert without RLS: ' +
        `throughput ×${(tenantScoped.perSecond / s[1][1].perSecond).toFixed(2)}`,
    );
    // Forced RLS hides rows even from the owner: count tenant by tenant, as the runtime would.
    let rlsRows = 0;
    for (const t of tenants)
      rlsRows += (await withTenant(pool, t, ({ client }) => client.query('SELECT count(*)::int AS n FROM bench_rls')))
        .rows[0].n;
    const plainRows = (await admin.query('SELECT count(*)::int AS n FROM bench_plain')).rows[0].n;
    console.log(`rows written: bench_rls ${rlsRows}, bench_plain ${plainRows}`);
  } finally {
    await pool.end();
    await admin.end();
    await servers.stop();
  }
}

runBench(main);
