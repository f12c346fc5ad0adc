/**
 * ModelRegistry on the real Postgres, as the runtime role (qs_app, RLS forced): atomic
 * promotion under concurrency, the validation contract keeping a bad candidate staged,
 * rollback below the threshold, tampered artifacts refused, tenant variants isolated.
 */
import { simulatorRows } from '../../ml/data/datasets';
import { ArtifactIntegrityError, ModelRegistry, PromotionConflict } from '../../ml/registry';
import { metadataForRun, trainFromRows, type TrainingRun } from '../../ml/trainers';
import type { ModelMetadata, Scope } from '../../ml/types';
import { withTenant, withoutTenant } from '../../db/tenant';
import { testPool } from '../support/env';

const TYPE = 'trend_classifier';

const metadata = (run: TrainingRun, dataVersion: string, overrides: Partial<ModelMetadata> = {}): ModelMetadata =>
  metadataForRun(TYPE, run, dataVersion, overrides);

describe('ModelRegistry on Postgres', () => {
  const pool = testPool('app');
  const registry = new ModelRegistry(pool, { actor: 'test' });
  let run: TrainingRun;
  let passing: number;

  beforeAll(async () => {
    const rows = simulatorRows(TYPE, '2026-03-13', 40);
    run = await trainFromRows(TYPE, rows);
    passing = run.validationMetrics.holdout_accuracy!;
    expect(passing).toBeGreaterThanOrEqual(0.5);
  });

  const save = (
    dataVersion: string,
    scope: Scope = 'global',
    overrides: Partial<ModelMetadata> = {},
    artifact = run.artifact,
  ) => registry.save({ scope, artifact, metadata: metadata(run, dataVersion, overrides) });

  it('first save auto-promotes (no production to compare with); a repeated save is a no-op', async () => {
    const { saved, promotion } = await registry.saveModel({
      scope: 'global',
      artifact: run.artifact,
      metadata: metadata(run, '2026-01-02'),
    });
    expect(saved).toMatchObject({ version: 1, status: 'staged', created: true });
    expect(promotion).toMatchObject({ outcome: 'promoted', version: 1, previousVersion: null });
    const again = await save('2026-01-02');
    expect(again).toMatchObject({ version: 1, created: false });
    // The same data version with different bytes is a conflict, not a silent overwrite.
    await expect(
      save('2026-01-02', 'global', {}, Buffer.concat([run.artifact, Buffer.from(' ')])),
    ).rejects.toBeInstanceOf(PromotionConflict);
  });

  it('two concurrent promotions: exactly one pointer flip wins, the pointer is consistent', async () => {
    const a = await save('2026-01-09');
    const b = await save('2026-01-16');
    // Both candidates were validated against v1; each promotion is a compare-and-swap on it.
    const [va, vb] = await Promise.all([
      registry.validate(TYPE, 'global', a.version),
      registry.validate(TYPE, 'global', b.version),
    ]);
    expect([va.passed, va.comparedWith, vb.passed, vb.comparedWith]).toEqual([true, 1, true, 1]);
    // Warm connections so both transactions really overlap in the database.
    await Promise.all(Array.from({ length: 6 }, () => pool.query('SELECT 1')));
    let retries = 0;
    const results = await Promise.allSettled([
      registry.promote(TYPE, 'global', a.version, {
        expectedProduction: va.comparedWith,
        tx: { onRetry: () => retries++ },
      }),
      registry.promote(TYPE, 'global', b.version, {
        expectedProduction: vb.comparedWith,
        tx: { onRetry: () => retries++ },
      }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'promoted');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(PromotionConflict);
    const winner = (won[0] as PromiseFulfilledResult<{ version: number }>).value.version;
    const loser = winner === a.version ? b.version : a.version;

    const state = await withoutTenant(pool, async ({ client }) => ({
      pointer: (
        await client.query(
          'SELECT v.version, pv.version AS previous FROM model_pointers p JOIN model_versions v ON v.id = p.version_id LEFT JOIN model_versions pv ON pv.id = p.previous_version_id WHERE p.type_id = $1 AND p.tenant_id IS NULL',
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
        "SELECT payload FROM audit_log WHERE tenant_id = 0 AND event_type = 'model.promoted' AND payload->>'typeId' = $1 ORDER BY seq",
        [TYPE],
      ),
    );
    expect(audit.rows.map((r) => r.payload.version)).toEqual([1, winner]);
    process.stderr.write(`[models-registry] serialization retries during the race: ${retries}\n`);
  });

  it('a failing contract leaves the candidate staged and the old version serving', async () => {
    const before = (await registry.loadProduction(TYPE))!;
    const weak = await save('2026-01-23', 'global', {
      validationMetrics: { ...run.validationMetrics, holdout_accuracy: 0.41 },
    });
    const outcome = await registry.promote(TYPE, 'global', weak.version);
    expect(outcome.outcome).toBe('refused');
    if (outcome.outcome !== 'refused') throw new Error('unreachable');
    expect(outcome.validation.checks.find((c) => c.name === 'holdout_metric')).toMatchObject({ passed: false });
    expect(outcome.validation.checks.filter((c) => c.name !== 'holdout_metric').every((c) => c.passed)).toBe(true);

    const schemaDrift = await save('2026-01-30', 'global', {
      featureSchema: { ...run.featureSchema, features: [...run.featureSchema.features].reverse() },
    });
    const refused = await registry.promote(TYPE, 'global', schemaDrift.version);
    expect(refused.outcome).toBe('refused');
    if (refused.outcome === 'refused')
      expect(refused.validation.checks.find((c) => c.name === 'feature_schema')?.passed).toBe(false);

    const after = (await registry.loadProduction(TYPE))!;
    expect(after.version).toBe(before.version);
    const described = await registry.describe(TYPE);
    expect(described.versions.find((v) => v.version === weak.version)).toMatchObject({
      status: 'staged',
      validation: { passed: false },
    });
  });

  it('rollback goes to the previous production version, and to a named one even below the threshold', async () => {
    const current = (await registry.describe(TYPE)).productionVersion!;
    const back = await registry.rollback(TYPE, 'global', { actor: 'operator', reason: 'test' });
    expect(back).toMatchObject({ fromVersion: current, toVersion: 1 });
    expect((await registry.loadProduction(TYPE))?.version).toBe(1);

    const weak = (await registry.describe(TYPE)).versions.find(
      (v) => v.validation?.passed === false && v.metadata.validationMetrics.holdout_accuracy! < 0.5,
    )!;
    const named = await registry.rollback(TYPE, 'global', { toVersion: weak.version, actor: 'operator' });
    expect(named).toMatchObject({ fromVersion: 1, toVersion: weak.version });
    expect((await registry.loadProduction(TYPE))?.version).toBe(weak.version);
    const d = await registry.describe(TYPE);
    expect(d.history.slice(-2).map((h) => [h.kind, h.fromVersion, h.toVersion])).toEqual([
      ['rollback', current, 1],
      ['rollback', 1, weak.version],
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
    const { promotion } = await registry.saveModel({
      scope: tenant,
      artifact: run.artifact,
      metadata: metadata(run, '2026-02-06'),
    });
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
          "INSERT INTO model_promotions (type_id, tenant_id, to_version_id, kind, actor) VALUES ('x', $1, 1, 'promote', 't')",
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
