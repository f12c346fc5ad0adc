/** qs db migrate / status, and the market-snapshot time series (daily partitions, read only through the parent). */
import { testEnv, testPool } from '../support/env';
import { runQs } from '../support/run-qs';
import { forEachTenant } from '../../db/tenant';

const env = () => ({
  DATABASE_URL: testEnv().adminUrl,
  QS_APP_DATABASE_URL: testEnv().appUrl,
  QS_DATA_DIR: `${testEnv().tmp}/no-stack`,
});

describe('schema', () => {
  const app = testPool('app');

  it('qs db migrate is idempotent and qs db status shows every migration applied', async () => {
    const migrate = await runQs(['db', 'migrate'], env());
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(/nothing to apply: the schema is up to date/);
    const status = await runQs(['db', 'status', '--json'], env());
    const rows = JSON.parse(status.stdout) as Array<{ tag: string; applied: boolean }>;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.filter((r) => !r.applied)).toEqual([]);
    expect(rows[0].tag).toBe('0000_init');
  });

  // Dates no other test trades on: partitions are shared by the whole run.
  it('stores market snapshots in daily partitions that qs_app can only reach through the parent', async () => {
    const made = await app.query("SELECT ensure_market_snapshot_partitions('2025-02-03', '2025-02-05') AS n");
    expect(made.rows[0].n).toBe(3);
    expect(
      (await app.query("SELECT ensure_market_snapshot_partitions('2025-02-03', '2025-02-05') AS n")).rows[0].n,
    ).toBe(0);
    await app.query(
      `INSERT INTO market_snapshots (ts, instrument, snapshot_id, spot, regime, source, chain)
       VALUES ('2025-02-04T10:00:00+05:30', 'NIFTY', 'schema-probe-1', 24012.35, 'calm', 'sim', '[]')`,
    );
    const through = await app.query(
      `SELECT snapshot_id, spot FROM market_snapshots
        WHERE ts >= '2025-02-04T00:00:00+05:30' AND ts < '2025-02-05T00:00:00+05:30'`,
    );
    expect(through.rows).toEqual([{ snapshot_id: 'schema-probe-1', spot: '24012.3500' }]);
    await expect(app.query('SELECT * FROM market_snapshots_20250204')).rejects.toThrow(/permission denied/);
    // Partitioned by day in IST, with a BRIN index on time.
    const admin = testPool('admin');
    const part = await admin.query(
      "SELECT pg_get_expr(relpartbound, oid) AS bound FROM pg_class WHERE relname = 'market_snapshots_20250204'",
    );
    expect(part.rows[0].bound).toBe("FOR VALUES FROM ('2025-02-03 18:30:00+00') TO ('2025-02-04 18:30:00+00')");
    const brin = await admin.query("SELECT indexdef FROM pg_indexes WHERE indexname = 'market_snapshots_ts_brin'");
    expect(brin.rows[0].indexdef).toMatch(/USING brin \(ts\)/);
  });

  // Two workers deciding at the first instant of a new day both make its partition: neither may fail.
  it('makes a day partition once when many sessions ask for it at the same moment', async () => {
    const pool = testPool('app');
    const day = '2025-02-11';
    const asks = await Promise.allSettled(
      Array.from({ length: 6 }, () =>
        pool.query('SELECT ensure_market_snapshot_partitions($1::date, $1::date) AS n', [day]),
      ),
    );
    expect(asks.filter((a) => a.status === 'rejected').map((a) => String((a as PromiseRejectedResult).reason))).toEqual(
      [],
    );
    const made = asks.map((a) => (a as PromiseFulfilledResult<{ rows: Array<{ n: number }> }>).value.rows[0].n);
    expect(made.sort()).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('system jobs reach every tenant through withTenant, one at a time', async () => {
    const slugs = [`each-a-${process.pid}`, `each-b-${process.pid}`];
    for (const s of slugs) await app.query('INSERT INTO tenants (slug, name) VALUES ($1, $1)', [s]);
    const seen: Array<{ tenant: number; setting: string }> = [];
    await forEachTenant(app, async ({ client, tenantId }) => {
      const { rows } = await client.query("SELECT current_setting('app.tenant_id') AS s");
      seen.push({ tenant: tenantId, setting: rows[0].s });
    });
    const ids = (await app.query('SELECT id FROM tenants WHERE slug = ANY($1) ORDER BY id', [slugs])).rows.map(
      (r) => r.id,
    );
    for (const id of ids) expect(seen).toContainEqual({ tenant: id, setting: String(id) });
    expect(seen.find((s) => s.tenant === 0)).toBeUndefined(); // the platform tenant is not a trading tenant
  });
});
