/**
 * ModelRegistry: every model version (artifact bytes, SHA-256, size, metadata) and the
 * production pointer per (type, scope). Promotion runs the validation contract and flips the
 * pointer in one SERIALIZABLE transaction with its audit row and a NOTIFY to the workers;
 * loading verifies the SHA-256 before any byte is used; rollback bypasses the contract.
 *
 * A promotion is relative to the production version it saw: if another promotion flips the
 * pointer first, the loser's retry finds a different production and gives up with
 * PromotionConflict instead of flipping again over a contract it was not checked against.
 */
import type { Pool, PoolClient } from 'pg';
import { auditIn } from '../db/audit';
import { runContract, sha256Hex } from './contracts';
import { MODEL_TYPE_IDS, modelType } from './model-types';
import { serializableTx, switchToAuditTenant, type TxOptions } from './scoped-tx';
import {
  scopeKey,
  tenantOf,
  type FeatureSchema,
  type Framework,
  type ModelMetadata,
  type Scope,
  type ValidationResult,
  type VersionStatus,
} from './types';
import type { PromotionOutcome, RollbackResult } from '../contracts/models';

export type { PromotionOutcome, RollbackResult } from '../contracts/models';

export const MODEL_EVENTS_CHANNEL = 'qs_model_events';

export interface ModelEvent {
  readonly event: 'promoted' | 'rolled_back';
  readonly typeId: string;
  readonly scope: 'global' | number;
  readonly version: number;
  readonly sha256: string;
}

export class PromotionConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromotionConflict';
  }
}

export class ArtifactIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArtifactIntegrityError';
  }
}

export class ModelNotFound extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelNotFound';
  }
}

export interface SaveInput {
  readonly scope: Scope;
  readonly artifact: Buffer;
  readonly metadata: ModelMetadata;
}

export interface VersionRow {
  readonly id: number;
  readonly typeId: string;
  readonly scope: Scope;
  readonly version: number;
  readonly framework: Framework;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly metadata: ModelMetadata;
  readonly featureSchema: FeatureSchema;
  readonly trainingDataVersion: string;
  readonly status: VersionStatus;
  readonly validation: ValidationResult | null;
  readonly createdAt: string;
}

export interface SavedVersion extends VersionRow {
  /** false when the same (type, scope, data version) was already saved (a retried save). */
  readonly created: boolean;
}

export interface LoadedArtifact extends VersionRow {
  readonly artifact: Buffer;
}

export interface PromoteOptions {
  readonly actor?: string;
  /** The production version the caller expects to replace (null: none); default what the first attempt sees. */
  readonly expectedProduction?: number | null;
  readonly tx?: TxOptions;
}

export interface TypeSummary {
  readonly typeId: string;
  readonly scope: Scope;
  readonly productionVersion: number | null;
  readonly sha256: string | null;
  readonly framework: string | null;
  readonly latestVersion: number | null;
  readonly staged: number;
  readonly updatedAt: string | null;
}

export interface PromotionEvent {
  readonly kind: 'promote' | 'rollback';
  readonly fromVersion: number | null;
  readonly toVersion: number;
  readonly actor: string;
  readonly reason: string | null;
  readonly at: string;
}

const VERSION_COLUMNS = `v.id, v.type_id, v.tenant_id, v.version, v.framework, v.sha256, v.size_bytes, v.metadata, v.feature_schema,
  v.training_data_version, v.status, v.validation, to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at`;

type Row = Record<string, unknown>;

function toVersion(r: Row): VersionRow {
  return {
    id: Number(r.id),
    typeId: r.type_id as string,
    scope: r.tenant_id === null ? 'global' : Number(r.tenant_id),
    version: Number(r.version),
    framework: r.framework as Framework,
    sha256: r.sha256 as string,
    sizeBytes: Number(r.size_bytes),
    metadata: r.metadata as ModelMetadata,
    featureSchema: r.feature_schema as FeatureSchema,
    trainingDataVersion: r.training_data_version as string,
    status: r.status as VersionStatus,
    validation: (r.validation as ValidationResult | null) ?? null,
    createdAt: r.created_at as string,
  };
}

export class ModelRegistry {
  constructor(
    private readonly pool: Pool,
    private readonly defaults: { actor?: string } = {},
  ) {}

  private actor(given?: string): string {
    return given ?? this.defaults.actor ?? 'system';
  }

  /** Saves a staged version; a second save of the same (type, scope, data version) returns the first. */
  async save(input: SaveInput, options: { actor?: string } = {}): Promise<SavedVersion> {
    const { scope, artifact, metadata } = input;
    modelType(metadata.typeId);
    const sha256 = sha256Hex(artifact);
    return serializableTx(this.pool, scope, async (c) => {
      const existing = await c.query(
        `SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.type_id = $1 AND v.tenant_id IS NOT DISTINCT FROM $2 AND v.training_data_version = $3`,
        [metadata.typeId, tenantOf(scope), metadata.trainingDataVersion],
      );
      if (existing.rows[0]) {
        const row = toVersion(existing.rows[0]);
        if (row.sha256 !== sha256) {
          throw new PromotionConflict(
            `${metadata.typeId}/${scopeKey(scope)} already has v${row.version} for data version ${metadata.trainingDataVersion} with a different artifact (${row.sha256.slice(0, 12)}… ≠ ${sha256.slice(0, 12)}…)`,
          );
        }
        return { ...row, created: false };
      }
      const { rows } = await c.query(
        `INSERT INTO model_versions (type_id, tenant_id, version, framework, artifact, sha256, size_bytes, metadata, feature_schema, training_data_version, status)
         VALUES ($1, $2, (SELECT coalesce(max(version), 0) + 1 FROM model_versions WHERE type_id = $1 AND tenant_id IS NOT DISTINCT FROM $2),
                 $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, 'staged')
         RETURNING id`,
        [
          metadata.typeId,
          tenantOf(scope),
          metadata.framework,
          artifact,
          sha256,
          artifact.length,
          JSON.stringify(metadata),
          JSON.stringify(metadata.featureSchema),
          metadata.trainingDataVersion,
        ],
      );
      const saved = toVersion(
        (await c.query(`SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.id = $1`, [rows[0].id])).rows[0],
      );
      const tenant = await switchToAuditTenant(c, scope);
      await auditIn(c, tenant, null, 'model.saved', {
        typeId: saved.typeId,
        scope: scopeKey(scope),
        version: saved.version,
        sha256,
        sizeBytes: artifact.length,
        trainingDataVersion: metadata.trainingDataVersion,
        actor: this.actor(options.actor),
      });
      return { ...saved, created: true };
    });
  }

  /** Save, then promote when the type auto-promotes (or when told to). */
  async saveModel(
    input: SaveInput,
    options: { autoPromote?: boolean; actor?: string } = {},
  ): Promise<{ saved: SavedVersion; promotion: PromotionOutcome | null }> {
    const saved = await this.save(input, options);
    const auto = options.autoPromote ?? modelType(input.metadata.typeId).autoPromote;
    if (!auto || saved.status === 'production') return { saved, promotion: null };
    return { saved, promotion: await this.promote(saved.typeId, input.scope, saved.version, { actor: options.actor }) };
  }

  /** Runs the contract against the current production version and stores the result; no flip. */
  async validate(typeId: string, scope: Scope, version: number): Promise<ValidationResult> {
    return serializableTx(this.pool, scope, async (c) => {
      const candidate = await this.versionWithArtifact(c, typeId, scope, version);
      const production = await this.productionRow(c, typeId, scope);
      const validation = runContract(modelType(typeId).contract, candidate, production);
      await c.query('UPDATE model_versions SET validation = $2::jsonb WHERE id = $1', [
        candidate.id,
        JSON.stringify(validation),
      ]);
      return validation;
    });
  }

  async promote(
    typeId: string,
    scope: Scope,
    version: number,
    options: PromoteOptions = {},
  ): Promise<PromotionOutcome> {
    const spec = modelType(typeId);
    // What the caller is promoting over: read before the transaction so that a retry after a
    // serialization failure compares with it rather than with the winner's version.
    const expected =
      options.expectedProduction !== undefined
        ? options.expectedProduction
        : await this.productionVersion(typeId, scope);
    return serializableTx(
      this.pool,
      scope,
      async (c) => {
        const pointer = await c.query(
          'SELECT id, version_id FROM model_pointers WHERE type_id = $1 AND tenant_id IS NOT DISTINCT FROM $2 FOR UPDATE',
          [typeId, tenantOf(scope)],
        );
        const production = await this.productionRow(c, typeId, scope);
        const current = production?.version ?? null;
        const candidate = await this.versionWithArtifact(c, typeId, scope, version);
        if (current === version) return { outcome: 'already_production', version };
        if (current !== expected) {
          throw new PromotionConflict(
            `${typeId}/${scopeKey(scope)}: production is v${current ?? 'none'}, not v${expected ?? 'none'} as expected; another promotion won — validate v${version} again`,
          );
        }
        if (candidate.status !== 'staged' && candidate.status !== 'retired') {
          throw new PromotionConflict(
            `${typeId}/${scopeKey(scope)} v${version} is ${candidate.status}; only staged or retired versions can be promoted (use rollback --to for a rejected one)`,
          );
        }
        const validation = runContract(spec.contract, candidate, production);
        await c.query('UPDATE model_versions SET validation = $2::jsonb WHERE id = $1', [
          candidate.id,
          JSON.stringify(validation),
        ]);
        const actor = this.actor(options.actor);
        if (!validation.passed) {
          const tenant = await switchToAuditTenant(c, scope);
          await auditIn(c, tenant, null, 'model.promotion_refused', {
            typeId,
            scope: scopeKey(scope),
            version,
            productionVersion: current,
            failed: validation.checks.filter((k) => !k.passed),
            actor,
          });
          return { outcome: 'refused', version, productionVersion: current, validation };
        }
        await this.flip(c, {
          typeId,
          scope,
          pointerId: pointer.rows[0]?.id ?? null,
          from: production,
          to: candidate,
          kind: 'promote',
          actor,
          reason: null,
        });
        await c.query('UPDATE model_versions SET status = $2 WHERE id = $1', [candidate.id, 'production']);
        if (production) await c.query("UPDATE model_versions SET status = 'retired' WHERE id = $1", [production.id]);
        const tenant = await switchToAuditTenant(c, scope);
        await auditIn(c, tenant, null, 'model.promoted', {
          typeId,
          scope: scopeKey(scope),
          version,
          sha256: candidate.sha256,
          previousVersion: current,
          validation,
          actor,
        });
        await this.notify(c, { event: 'promoted', typeId, scope, version, sha256: candidate.sha256 });
        return { outcome: 'promoted', version, previousVersion: current, validation };
      },
      options.tx,
    );
  }

  /**
   * Back to the version production had before the current one was promoted, or to a named
   * version. No contract: a known-old model may serve even below today's threshold; only its
   * SHA-256 is checked. The version rolled back from is marked rejected.
   */
  async rollback(
    typeId: string,
    scope: Scope,
    options: { toVersion?: number; actor?: string; reason?: string } = {},
  ): Promise<RollbackResult> {
    modelType(typeId);
    return serializableTx(this.pool, scope, async (c) => {
      const pointer = await c.query(
        'SELECT id FROM model_pointers WHERE type_id = $1 AND tenant_id IS NOT DISTINCT FROM $2 FOR UPDATE',
        [typeId, tenantOf(scope)],
      );
      const current = await this.productionRow(c, typeId, scope);
      if (!current || !pointer.rows[0])
        throw new ModelNotFound(`${typeId}/${scopeKey(scope)} has no production version to roll back`);
      let targetVersion = options.toVersion;
      if (targetVersion === undefined) {
        const { rows } = await c.query(
          `SELECT f.version FROM model_promotions p JOIN model_versions f ON f.id = p.from_version_id
            WHERE p.type_id = $1 AND p.tenant_id IS NOT DISTINCT FROM $2 AND p.to_version_id = $3
            ORDER BY (p.kind = 'promote') DESC, p.id DESC LIMIT 1`,
          [typeId, tenantOf(scope), current.id],
        );
        if (!rows[0])
          throw new ModelNotFound(
            `${typeId}/${scopeKey(scope)} v${current.version} has no previous production version; name one with --to`,
          );
        targetVersion = Number(rows[0].version);
      }
      if (targetVersion === current.version)
        throw new PromotionConflict(`${typeId}/${scopeKey(scope)} v${targetVersion} is already production`);
      const target = await this.versionWithArtifact(c, typeId, scope, targetVersion);
      const digest = sha256Hex(target.artifact);
      if (digest !== target.sha256)
        throw new ArtifactIntegrityError(
          `${typeId}/${scopeKey(scope)} v${targetVersion}: artifact digest ${digest} ≠ recorded ${target.sha256}; refusing to roll back to it`,
        );
      const actor = this.actor(options.actor);
      await this.flip(c, {
        typeId,
        scope,
        pointerId: pointer.rows[0].id,
        from: current,
        to: target,
        kind: 'rollback',
        actor,
        reason: options.reason ?? null,
      });
      await c.query("UPDATE model_versions SET status = 'rejected' WHERE id = $1", [current.id]);
      await c.query("UPDATE model_versions SET status = 'production' WHERE id = $1", [target.id]);
      const tenant = await switchToAuditTenant(c, scope);
      await auditIn(c, tenant, null, 'model.rolled_back', {
        typeId,
        scope: scopeKey(scope),
        fromVersion: current.version,
        toVersion: targetVersion,
        sha256: target.sha256,
        actor,
        reason: options.reason ?? null,
      });
      await this.notify(c, { event: 'rolled_back', typeId, scope, version: targetVersion, sha256: target.sha256 });
      return { fromVersion: current.version, toVersion: targetVersion, sha256: target.sha256 };
    });
  }

  /** The production model for a tenant (its own variant, else the global one), SHA-256 verified. */
  async loadProduction(typeId: string, tenantId: number | null = null): Promise<LoadedArtifact | null> {
    const scopes: Scope[] = tenantId === null ? ['global'] : [tenantId, 'global'];
    for (const scope of scopes) {
      const row = await serializableTx(this.pool, scope, async (c) => {
        const { rows } = await c.query(
          `SELECT ${VERSION_COLUMNS}, v.artifact FROM model_pointers p JOIN model_versions v ON v.id = p.version_id
            WHERE p.type_id = $1 AND p.tenant_id IS NOT DISTINCT FROM $2`,
          [typeId, tenantOf(scope)],
        );
        return rows[0] ? { ...toVersion(rows[0]), artifact: rows[0].artifact as Buffer } : null;
      });
      if (row) return verified(row);
    }
    return null;
  }

  /** The version trained on a data version, if one was saved (retries and repeated runs reuse it). */
  async versionForData(typeId: string, scope: Scope, dataVersion: string): Promise<VersionRow | null> {
    return serializableTx(this.pool, scope, async (c) => {
      const { rows } = await c.query(
        `SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.type_id = $1 AND v.tenant_id IS NOT DISTINCT FROM $2 AND v.training_data_version = $3`,
        [typeId, tenantOf(scope), dataVersion],
      );
      return rows[0] ? toVersion(rows[0]) : null;
    });
  }

  async loadVersion(typeId: string, scope: Scope, version: number): Promise<LoadedArtifact> {
    return verified(await serializableTx(this.pool, scope, (c) => this.versionWithArtifact(c, typeId, scope, version)));
  }

  async list(scope: Scope = 'global'): Promise<TypeSummary[]> {
    return serializableTx(this.pool, scope, async (c) => {
      const { rows } = await c.query(
        `SELECT t.type_id, pv.version AS production_version, pv.sha256, pv.framework,
                (SELECT max(version) FROM model_versions v WHERE v.type_id = t.type_id AND v.tenant_id IS NOT DISTINCT FROM $1) AS latest_version,
                (SELECT count(*) FROM model_versions v WHERE v.type_id = t.type_id AND v.tenant_id IS NOT DISTINCT FROM $1 AND v.status = 'staged') AS staged,
                to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at
           FROM (SELECT unnest($2::text[]) AS type_id UNION SELECT DISTINCT type_id FROM model_versions WHERE tenant_id IS NOT DISTINCT FROM $1) t
           LEFT JOIN model_pointers p ON p.type_id = t.type_id AND p.tenant_id IS NOT DISTINCT FROM $1
           LEFT JOIN model_versions pv ON pv.id = p.version_id
          ORDER BY t.type_id`,
        [tenantOf(scope), MODEL_TYPE_IDS],
      );
      return rows.map((r) => ({
        typeId: r.type_id,
        scope,
        productionVersion: r.production_version === null ? null : Number(r.production_version),
        sha256: r.sha256 ?? null,
        framework: r.framework ?? null,
        latestVersion: r.latest_version === null ? null : Number(r.latest_version),
        staged: Number(r.staged),
        updatedAt: r.updated_at ?? null,
      }));
    });
  }

  async describe(
    typeId: string,
    scope: Scope = 'global',
  ): Promise<{ versions: VersionRow[]; productionVersion: number | null; history: PromotionEvent[] }> {
    modelType(typeId);
    return serializableTx(this.pool, scope, async (c) => {
      const versions = (
        await c.query(
          `SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.type_id = $1 AND v.tenant_id IS NOT DISTINCT FROM $2 ORDER BY v.version`,
          [typeId, tenantOf(scope)],
        )
      ).rows.map(toVersion);
      const production = await this.productionRow(c, typeId, scope);
      const history = (
        await c.query(
          `SELECT p.kind, f.version AS from_version, t.version AS to_version, p.actor, p.reason,
                  to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at
             FROM model_promotions p JOIN model_versions t ON t.id = p.to_version_id LEFT JOIN model_versions f ON f.id = p.from_version_id
            WHERE p.type_id = $1 AND p.tenant_id IS NOT DISTINCT FROM $2 ORDER BY p.id`,
          [typeId, tenantOf(scope)],
        )
      ).rows.map((r) => ({
        kind: r.kind,
        fromVersion: r.from_version === null ? null : Number(r.from_version),
        toVersion: Number(r.to_version),
        actor: r.actor,
        reason: r.reason,
        at: r.at,
      }));
      return { versions, productionVersion: production?.version ?? null, history };
    });
  }

  async productionVersion(typeId: string, scope: Scope): Promise<number | null> {
    return serializableTx(this.pool, scope, async (c) => (await this.productionRow(c, typeId, scope))?.version ?? null);
  }

  private async productionRow(c: PoolClient, typeId: string, scope: Scope): Promise<VersionRow | null> {
    const { rows } = await c.query(
      `SELECT ${VERSION_COLUMNS} FROM model_pointers p JOIN model_versions v ON v.id = p.version_id WHERE p.type_id = $1 AND p.tenant_id IS NOT DISTINCT FROM $2`,
      [typeId, tenantOf(scope)],
    );
    return rows[0] ? toVersion(rows[0]) : null;
  }

  private async versionWithArtifact(
    c: PoolClient,
    typeId: string,
    scope: Scope,
    version: number,
  ): Promise<LoadedArtifact> {
    const { rows } = await c.query(
      `SELECT ${VERSION_COLUMNS}, v.artifact FROM model_versions v WHERE v.type_id = $1 AND v.tenant_id IS NOT DISTINCT FROM $2 AND v.version = $3`,
      [typeId, tenantOf(scope), version],
    );
    if (!rows[0]) throw new ModelNotFound(`${typeId}/${scopeKey(scope)} has no version ${version}`);
    return { ...toVersion(rows[0]), artifact: rows[0].artifact as Buffer };
  }

  private async flip(
    c: PoolClient,
    f: {
      typeId: string;
      scope: Scope;
      pointerId: number | null;
      from: VersionRow | null;
      to: VersionRow;
      kind: 'promote' | 'rollback';
      actor: string;
      reason: string | null;
    },
  ): Promise<void> {
    if (f.pointerId === null) {
      await c.query(
        'INSERT INTO model_pointers (type_id, tenant_id, version_id, previous_version_id) VALUES ($1, $2, $3, $4)',
        [f.typeId, tenantOf(f.scope), f.to.id, f.from?.id ?? null],
      );
    } else {
      await c.query(
        'UPDATE model_pointers SET version_id = $2, previous_version_id = $3, updated_at = now() WHERE id = $1',
        [f.pointerId, f.to.id, f.from?.id ?? null],
      );
    }
    await c.query(
      'INSERT INTO model_promotions (type_id, tenant_id, from_version_id, to_version_id, kind, actor, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [f.typeId, tenantOf(f.scope), f.from?.id ?? null, f.to.id, f.kind, f.actor, f.reason],
    );
  }

  /** Delivered to LISTENers when the transaction commits, never if it rolls back. */
  private async notify(c: PoolClient, event: ModelEvent): Promise<void> {
    await c.query('SELECT pg_notify($1, $2)', [MODEL_EVENTS_CHANNEL, JSON.stringify(event)]);
  }
}

function verified(row: LoadedArtifact): LoadedArtifact {
  const digest = sha256Hex(row.artifact);
  if (digest !== row.sha256 || row.artifact.length !== row.sizeBytes) {
    throw new ArtifactIntegrityError(
      `${row.typeId}/${scopeKey(row.scope)} v${row.version}: artifact digest ${digest} (${row.artifact.length} bytes) ≠ recorded ${row.sha256} (${row.sizeBytes} bytes); refusing to load it`,
    );
  }
  return row;
}
