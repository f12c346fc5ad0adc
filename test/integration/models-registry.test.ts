/** @jest-environment ./ml/onnx/jest-environment.js */
/**
 * ModelRegistry on the real Postgres, as the runtime role (qs_app, RLS forced): atomic
 * promotion under a forced concurrent interleaving (a serialization failure, retried), the
 * validation contract measuring each candidate on its rebuilt holdout (a weak model, or
 * metadata that lies, stays staged), rollback below the threshold, tampered artifacts
 * refused, tenant variants isolated. Data versions are chosen for their measured holdout
 * accuracy on the simulator: 2026-01-02, -01-09, -02-06, -02-13, -02-27 pass (≥ 0.5);
 * 2026-01-16 and -01-23 do not.
 */
import { ArtifactIntegrityError, ModelRegistry, PromotionConflict } from '../../ml/registry';
import { trainOnDataVersion, type TrainingRun } from '../../ml/trainers';
import type { ModelMetadata, Scope } from '../../ml/types';
import { withTenant, withoutTenant } from '../../db/tenant';
import { testPool } from '../support/env';

const TYPE = 'trend_classifier';

/** Resolves once `parties` callers have arrived; fails the test rather than hanging. */
function barrier(parties: number, timeoutMs = 30_000) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    if (++arrived >= parties) open();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('barrier: the other side never arrived')), timeoutMs);
    });
    await Promise.race([opened, timeout]).finally(() => clearTimeout(timer));
  };
}

describe('ModelRegistry on Postgres', () => {
  const pool = testPool('app');
  const registry = new ModelRegistry(pool, { actor: 'test' });
  const runs = new Map<string, { run: TrainingRun; metadata: ModelMetadata }>();
  const trained = async (dataVersion: string) => {
    if (!runs.has(dataVersion)) runs.set(dataVersion, await trainOnDataVersion(TYPE, dataVersion));
    return runs.get(dataVersion)!;
  };

  const save = async (
    dataVersion: string,
    scope: Scope = 'global',
    overrides: Partial<ModelMetadata> = {},
    artifact?: Buffer,
  ) => {
    const { run, metadata } = await trained(dataVersion);
    return registry.save({ scope, artifact: artifact ?? run.artifact, metadata: { ...metadata, ...overrides } });
  };
  const claiming = async (dataVersion: string, holdoutAccuracy: number) => ({
    validationMetrics: { ...(await trained(dataVersion)).run.validationMetrics, holdout_accuracy: holdoutAccuracy },
  });
  let weakVersion: number;

  it('first save auto-promotes (no production to compare with); a repeated save is a no-op', async () => {
    const { run, metadata } = await trained('2026-01-02');
    const { saved, promotion } = await registry.saveModel({ scope: 'global', artifact: run.artifact, metadata });
    expect(saved).toMatchObject({ version: 1, status: 'staged', created: true });
    expect(promotion).toMatchObject({ outcome: 'promoted', version: 1, previousVersion: null });
    const again = await save('2026-01-02');
    expect(again).toMatchObject({ version: 1, created: false });
    // The same data version with different bytes is a conflict, not a silent overwrite.
    await expect(
      save('2026-01-02', 'global', {}, Buffer.concat([run.artifact, Buffer.from(' ')])),
    ).rejects.toBeInstanceOf(PromotionConflict);
  });

  it('two promotions, both reading before either writes: a serialization failure, retried; one wins', async () => {
    const a = await save('2026-01-09');
    const b = await save('2026-02-06');
    // Both candidates were validated against v1; each promotion is a compare-and-swap on it.
    const [va, vb] = await Promise.all([
      registry.validate(TYPE, 'global', a.version),
      registry.validate(TYPE, 'global', b.version),
    ]);
    expect([va.passed, va.comparedWith, vb.passed, vb.comparedWith]).toEqual([true, 1, true, 1]);
    // Force the interleaving: each first attempt waits, after its reads, until the other has
    // read too. Run one after the other, neither would ever see a conflict.
    const bothRead = barrier(2);
    const retries: Array<{ version: number; attempt: number; code: string }> = [];
    const tx = (version: number) => ({
      beforeWrite: (attempt: number) => (attempt === 1 ? bothRead() : Promise.resolve()),
      onRetry: (attempt: number, code: string) => retries.push({ version, attempt, code }),
    });
    const results = await Promise.allSettled([
      registry.promote(TYPE, 'global', a.version, { expectedProduction: va.comparedWith, tx: tx(a.version) }),
      registry.promote(TYPE, 'global', b.version, { expectedProduction: vb.comparedWith, tx: tx(b.version) }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'promoted');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(PromotionConflict);
    const winner = (won[0] as PromiseFulfilledResult<{ version: number }>).value.version;
    const loser = winner === a.version ? b.version : a.version;
    // The loser's first attempt died of a serialization failure; its retry saw the winner.
    expect(retries).toEqual([{ version: loser, attempt: 1, code: '40001' }]);
    expect((lost[0] as PromiseRejectedResult).reason.message).toMatch(
      new RegExp(`production is v${winner}, not v1 as expected`),
    );

    const state = await withoutTenant(pool, async ({ client }) => ({
      pointer: (
        await client.query(
          `SELECT v.version, pv.version AS previous FROM model_pointers p JOIN model_versions v ON v.id = p.version_id
             LEFT JOIN model_versions pv ON pv.id = p.previous_version_id WHERE p.type_id = $1 AND p.tenant_id IS NULL`,
          [TYPE],
        )
      ).rows,
      production: (
        await client.query(
          "SELECT version FROM model_versions WHERE type_id = $1 AND tenant_id IS NULL AND status = 'production'",
          [TYPE],
        )
      ).rows,
      loserStatus: (
        await client.query(
          'SELECT status FROM model_versions WHERE type_id = $1 AND tenant_id IS NULL AND version = $2',
          [TYPE, loser],
        )
      ).rows[0].status,
      flips: (
        await client.query('SELECT count(*)::int AS n FROM model_promotions WHERE type_id = $1 AND tenant_id IS NULL', [
          TYPE,
        ])
      ).rows[0].n,
    }));
    expect(state.pointer).toEqual([{ version: winner, previous: 1 }]);
    expect(state.production).toEqual([{ version: winner }]);
    expect(state.loserStatus).toBe('staged');
    expect(state.flips).toBe(2); // v1's first promotion + the one winner
    const loaded = await registry.loadProduction(TYPE);
    expect(loaded?.version).toBe(winner);

    // The promotion is audited under the platform tenant (0), hash-chained.
    const audit = await withTenant(pool, 0, ({ client }) =>
      client.query(
        `SELECT payload FROM audit_log
          WHERE tenant_id = 0 AND event_type = 'model.promoted' AND payload->>'typeId' = $1 ORDER BY seq`,
        [TYPE],
      ),
    );
    expect(audit.rows.map((r) => r.payload.version)).toEqual([1, winner]);
  });

  it('the contract measures each candidate on its holdout: a weak model or lying metadata stays staged', async () => {
    const before = (await registry.loadProduction(TYPE))!;
    const failedChecks = (o: Awaited<ReturnType<ModelRegistry['promote']>>) =>
      o.outcome === 'refused' ? o.validation.checks.filter((c) => !c.passed).map((c) => c.name) : o.outcome;

    // Honest metadata, weak model (measured 0.478 < 0.5): the metric check alone fails.
    const weak = await save('2026-01-16');
    weakVersion = weak.version;
    expect(failedChecks(await registry.promote(TYPE, 'global', weak.version))).toEqual(['holdout_metric']);

    // A weak model whose metadata claims 0.9: both the metric and the claim fail.
    const liar = await save('2026-01-23', 'global', await claiming('2026-01-23', 0.9));
    const lied = await registry.promote(TYPE, 'global', liar.version);
    expect(failedChecks(lied)).toEqual(['holdout_metric', 'claimed_metric']);
    if (lied.outcome !== 'refused') throw new Error('unreachable');
    expect(lied.validation.checks.find((c) => c.name === 'holdout_metric')?.detail).toMatch(
      /^holdout_accuracy = 0\.4\d+ \(needs ≥ 0\.5\), measured on \d+ holdout rows of data version 2026-01-23/,
    );
    expect(lied.validation.checks.find((c) => c.name === 'claimed_metric')?.detail).toMatch(
      /metadata claims 0\.9, measured 0\.4\d+/,
    );

    // A good model that inflates its claim is refused too: metadata is provenance.
    const inflated = await save('2026-02-13', 'global', await claiming('2026-02-13', 0.9));
    expect(failedChecks(await registry.promote(TYPE, 'global', inflated.version))).toEqual(['claimed_metric']);

    const schemaDrift = await save('2026-02-20', 'global', {
      featureSchema: {
        ...(await trained('2026-02-20')).run.featureSchema,
        features: [...(await trained('2026-02-20')).run.featureSchema.features].reverse(),
      },
    });
    const refused = await registry.promote(TYPE, 'global', schemaDrift.version);
    expect(failedChecks(refused)).toContain('feature_schema');

    const after = (await registry.loadProduction(TYPE))!;
    expect(after.version).toBe(before.version);
    const described = await registry.describe(TYPE);
    for (const v of [weak.version, liar.version, inflated.version])
      expect(described.versions.find((x) => x.version === v)).toMatchObject({
        status: 'staged',
        validation: { passed: false },
      });
  });

  it('rollback goes to the previous production version, and to a named one even below the threshold', async () => {
    const current = (await registry.describe(TYPE)).productionVersion!;
    const back = await registry.rollback(TYPE, 'global', { actor: 'operator', reason: 'test' });
    expect(back).toMatchObject({ fromVersion: current, toVersion: 1 });
    expect((await registry.loadProduction(TYPE))?.version).toBe(1);

    const named = await registry.rollback(TYPE, 'global', { toVersion: weakVersion, actor: 'operator' });
    expect(named).toMatchObject({ fromVersion: 1, toVersion: weakVersion });
    expect((await registry.loadProduction(TYPE))?.version).toBe(weakVersion);
    const d = await registry.describe(TYPE);
    expect(d.history.slice(-2).map((h) => [h.kind, h.fromVersion, h.toVersion])).toEqual([
      ['rollback', current, 1],
      ['rollback', 1, weakVersion],
    ]);
    expect(d.versions.find((v) => v.version === current)?.status).toBe('rejected');
  });

  it('a tampered artifact is refused at load (and rollback will not serve it)', async () => {
    const prod = (await registry.loadProduction(TYPE))!;
    const admin = testPool('admin');
    const tampered = Buffer.from(prod.artifact);
    tampered[tampered.length - 1] ^= 0xff;
    await admin.query(
      'UPDATE model_versions SET artifact = $1 WHERE type_id = $2 AND tenant_id IS NULL AND version = $3',
      [tampered, TYPE, prod.version],
    );
    await expect(registry.loadProduction(TYPE)).rejects.toBeInstanceOf(ArtifactIntegrityError);
    await expect(registry.loadProduction(TYPE)).rejects.toThrow(/refusing to load/);
    // Roll back to a good version: loading works again; rolling back onto the tampered one is refused.
    await registry.rollback(TYPE, 'global', { toVersion: 1 });
    expect((await registry.loadProduction(TYPE))?.version).toBe(1);
    await expect(registry.rollback(TYPE, 'global', { toVersion: prod.version })).rejects.toBeInstanceOf(
      ArtifactIntegrityError,
    );
  });

  it('tenant variants: visible only to their tenant, loaded before the global fallback', async () => {
    const { rows } = await pool.query("INSERT INTO tenants (slug, name) VALUES ($1, 'ML variant test') RETURNING id", [
      `mlreg-${Date.now()}`,
    ]);
    const tenant: number = rows[0].id;
    const other = (
      await pool.query("INSERT INTO tenants (slug, name) VALUES ($1, 'ML other') RETURNING id", [
        `mlreg-o-${Date.now()}`,
      ])
    ).rows[0].id as number;
    expect((await registry.loadProduction(TYPE, tenant))?.scope).toBe('global');
    const { run, metadata } = await trained('2026-02-27');
    const { promotion } = await registry.saveModel({ scope: tenant, artifact: run.artifact, metadata });
    expect(promotion).toMatchObject({ outcome: 'promoted', version: 1 });
    expect(await registry.loadProduction(TYPE, tenant)).toMatchObject({ scope: tenant, version: 1 });
    expect((await registry.loadProduction(TYPE, other))?.scope).toBe('global');
    const seen = await withTenant(pool, other, ({ client }) =>
      client.query('SELECT count(*)::int AS n FROM model_versions'),
    );
    expect(seen.rows[0].n).toBe(0);
    const globalView = await withoutTenant(pool, ({ client }) =>
      client.query('SELECT count(*)::int AS n FROM model_versions WHERE tenant_id IS NOT NULL'),
    );
    expect(globalView.rows[0].n).toBe(0);
    // Writing a tenant's row without its tenant set is refused with a clear message.
    await expect(
      withoutTenant(pool, ({ client }) =>
        client.query(
          `INSERT INTO model_promotions (type_id, tenant_id, to_version_id, kind, actor)
           VALUES ('x', $1, 1, 'promote', 't')`,
          [tenant],
        ),
      ),
    ).rejects.toThrow(/withTenant|row-level security/);
    const audit = await withTenant(pool, tenant, ({ client }) =>
      client.query("SELECT count(*)::int AS n FROM audit_log WHERE event_type = 'model.promoted'"),
    );
    expect(audit.rows[0].n).toBe(1);
  });
});
