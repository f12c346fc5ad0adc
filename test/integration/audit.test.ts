/**
 * The audit log is append-only even for its owner and superusers (triggers), hash-chained per
 * tenant, verifiable from the CLI, and keeps one valid chain under concurrent writers.
 */
import { audit, verifyAuditChain } from '../../db/audit';
import { createTenant } from '../../db/tenants';
import { withTenant } from '../../db/tenant';
import { createPool } from '../../db/client';
import { testEnv, testPool } from '../support/env';
import { runQs } from '../support/run-qs';

const cliEnv = () => ({
  DATABASE_URL: testEnv().adminUrl,
  QS_APP_DATABASE_URL: testEnv().appUrl,
  QS_DATA_DIR: `${testEnv().tmp}/no-stack`,
});

describe('audit log', () => {
  const app = testPool('app');
  const superuser = testPool('super');

  it('refuses UPDATE, DELETE and TRUNCATE even for the owner and a superuser', async () => {
    const t = await createTenant(app, { slug: `audit-refuse-${process.pid}`, name: 'Audit refuse' });
    await audit(app, t.id, null, 'order.placed', { tag: 'T1' });
    const admin = testPool('admin');
    // The owner is subject to FORCE RLS, so it must set the tenant to even reach the row.
    for (const sql of ["UPDATE audit_log SET payload = '{}'", 'DELETE FROM audit_log']) {
      await expect(withTenant(admin, t.id, ({ client }) => client.query(sql))).rejects.toThrow(
        /audit_log is append-only: (UPDATE|DELETE) refused/,
      );
      await expect(superuser.query(`${sql} WHERE tenant_id = $1`, [t.id])).rejects.toThrow(/audit_log is append-only/);
    }
    await expect(admin.query('TRUNCATE audit_log')).rejects.toThrow(/audit_log is append-only: TRUNCATE refused/);
    await expect(superuser.query('TRUNCATE audit_log')).rejects.toThrow(/audit_log is append-only: TRUNCATE refused/);
    expect(await verifyAuditChain(app, t.id)).toEqual({ ok: true, rows: 2 }); // tenant.created + order.placed
  });

  it("qs audit verify finds a row altered behind the triggers' back", async () => {
    const t = await createTenant(app, { slug: `audit-tamper-${process.pid}`, name: 'Audit tamper' });
    for (let i = 1; i <= 5; i++) await audit(app, t.id, null, 'fill.recorded', { n: i, price: '101.50' });

    const ok = await runQs(['audit', 'verify', '--tenant', t.slug, '--json'], cliEnv());
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, rows: 6 });

    // A superuser disables the triggers and rewrites history: seq 4's price.
    const c = await superuser.connect();
    let alteredId: number;
    try {
      await c.query("SET session_replication_role = 'replica'");
      const r = await c.query(
        `UPDATE audit_log SET payload = '{"n": 3, "price": "1.50"}' WHERE tenant_id = $1 AND seq = 4 RETURNING id`,
        [t.id],
      );
      alteredId = Number(r.rows[0].id);
      await c.query("SET session_replication_role = 'origin'");
    } finally {
      c.release();
    }
    const broken = await runQs(['audit', 'verify', '--tenant', t.slug], cliEnv());
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN at row id ${alteredId} (seq 4): hash does not match the row content`);
  });

  it('2 × 500 concurrent inserts for one tenant leave one valid chain', async () => {
    const t = await createTenant(app, { slug: `audit-race-${process.pid}`, name: 'Audit race' });
    // Two independent pools stand for two processes writing at once.
    const writers = [createPool(testEnv().appUrl, { max: 8 }), createPool(testEnv().appUrl, { max: 8 })];
    try {
      await Promise.all(
        writers.map((pool, w) =>
          Promise.all(Array.from({ length: 500 }, (_, i) => audit(pool, t.id, null, 'race', { writer: w, i }))),
        ),
      );
    } finally {
      await Promise.all(writers.map((p) => p.end()));
    }
    expect(await verifyAuditChain(app, t.id)).toEqual({ ok: true, rows: 1001 });
    const { rows } = await withTenant(app, t.id, ({ client }) =>
      client.query('SELECT min(seq)::int AS lo, max(seq)::int AS hi, count(DISTINCT seq)::int AS n FROM audit_log'),
    );
    expect(rows[0]).toEqual({ lo: 1, hi: 1001, n: 1001 });
  });
});
