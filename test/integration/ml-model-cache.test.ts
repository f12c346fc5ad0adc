/**
 * The ModelCache in process, with its own LISTEN connection: tenant variants and the global
 * fallback follow their own promotions; a killed LISTEN connection reconnects and catches up
 * on what it missed; the per-type accessors serve the cached model.
 */
import { anomalyDetector, installModelCache } from '../../ml/accessors';
import { ModelCache } from '../../ml/model-cache';
import { ModelRegistry } from '../../ml/registry';
import { trainOnDataVersion } from '../../ml/trainers';
import type { Scope } from '../../ml/types';
import { testEnv, testPool } from '../support/env';

const TYPE = 'anomaly_detector';

async function until(what: string, fn: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('ModelCache (LISTEN/NOTIFY hot-swap in process)', () => {
  it('follows tenant and global promotions, survives a dropped LISTEN connection, serves the accessors', async () => {
    const pool = testPool('app');
    const registry = new ModelRegistry(pool, { actor: 'cache-test' });
    const save = async (scope: Scope, dataVersion: string) => {
      const { run, metadata } = await trainOnDataVersion(TYPE, dataVersion, { windowDays: 5 });
      const { saved, promotion } = await registry.saveModel({ scope, artifact: run.artifact, metadata });
      expect(promotion?.outcome).toBe('promoted');
      return saved;
    };
    const tenant = (
      await pool.query("INSERT INTO tenants (slug, name) VALUES ($1, 'cache test') RETURNING id", [
        `cache-${Date.now()}`,
      ])
    ).rows[0].id as number;
    const g1 = await save('global', '2026-02-20');

    const cache = new ModelCache({ pool, listenUrl: testEnv().appUrl, workerId: 'cache-test', releaseGraceMs: 50 });
    await cache.start([TYPE]);
    await cache.settled();
    installModelCache(cache);
    try {
      expect((await cache.get(TYPE))?.id).toMatchObject({ version: g1.version, scope: 'global' });
      // No variant yet: the tenant is served the global model.
      expect((await cache.get(TYPE, tenant))?.id.scope).toBe('global');

      // The tenant's own variant reaches the tenant's entry only.
      const t1 = await save(tenant, '2026-02-20');
      await until('the tenant variant', async () => (await cache.get(TYPE, tenant))?.id.scope === tenant);
      expect((await cache.get(TYPE, tenant))?.id.sha256).toBe(t1.sha256);
      expect((await cache.get(TYPE))?.id.version).toBe(g1.version);

      // A new global version reaches the global entry; the tenant keeps its variant.
      const g2 = await save('global', '2026-02-27');
      await until('the new global version', async () => (await cache.get(TYPE))?.id.version === g2.version);
      expect((await cache.get(TYPE, tenant))?.id.scope).toBe(tenant);

      // Kill the LISTEN connection, change production while it is down: the NOTIFY is lost,
      // the reconnect reloads everything and catches up.
      const killed = await testPool('super').query(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
          WHERE application_name = 'qs-model-cache:cache-test'`,
      );
      expect(killed.rows).toEqual([{ ok: true }]);
      await registry.rollback(TYPE, 'global', { actor: 'cache-test' });
      await until(
        'the cache to reconnect and catch up',
        async () => (await cache.get(TYPE))?.id.version === g1.version,
      );

      // Accessors reach the same cached model; worker_models says what this "worker" serves.
      const model = (await anomalyDetector.get())!;
      expect(model.id.version).toBe(g1.version);
      expect(model.isAnomalous([0, 0.02, 0, 0.05])).toBe(false);
      expect(model.isAnomalous([-3, 4, 5, 6])).toBe(true);
      const rows = (
        await pool.query("SELECT scope, version FROM worker_models WHERE worker_id = 'cache-test' ORDER BY scope")
      ).rows;
      expect(rows).toEqual(
        expect.arrayContaining([
          { scope: 'global', version: g1.version },
          { scope: String(tenant), version: t1.version },
        ]),
      );
    } finally {
      installModelCache(null);
      await cache.stop();
    }
    expect(
      (await pool.query("SELECT count(*)::int AS n FROM worker_models WHERE worker_id = 'cache-test'")).rows[0].n,
    ).toBe(0);
  });
});
