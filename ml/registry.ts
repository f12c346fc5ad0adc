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
import type { Pool } from 'pg';
import { auditIn } from '../db/audit';
import {
  flipPointer,
  insertStagedVersion,
  lockPointer,
  MODEL_EVENTS_CHANNEL,
  notifyModelChannel,
  productionVersion,
  productionWithArtifact,
  promotionHistory,
  setStatus,
  setValidation,
  typeSummaries,
  versionBefore,
  versionById,
  versionForData,
  versionsOfType,
  versionWithArtifact,
  type ModelVersionRecord,
  type ModelVersionWithArtifact,
  type TypeSummaryRecord,
} from '../db/models';
import { PLATFORM_TENANT_ID } from '../db/schema/tenants';
import { withSerializable, type SerializableOptions, type SerializableTx } from '../db/tenant';
import { runContract, sha256Hex } from './contracts';
import { measureHoldout, type HoldoutMeasurement } from './holdout';
import { isModelTypeId, MODEL_TYPE_IDS, modelType, type ModelTypeId } from './model-types';
import {
  scopeKey,
  scopeOf,
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

export { MODEL_EVENTS_CHANNEL };

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
  readonly tx?: SerializableOptions;
}

export type TypeSummary = TypeSummaryRecord & { readonly scope: Scope };

export interface PromotionEvent {
  readonly kind: 'promote' | 'rollback';
  readonly fromVersion: number | null;
  readonly toVersion: number;
  readonly actor: string;
  readonly reason: string | null;
  readonly at: string;
}

function toVersion(r: ModelVersionRecord): VersionRow {
  return {
    id: r.id,
    typeId: r.typeId,
    scope: scopeOf(r.tenantId),
    version: r.version,
    framework: r.framework as Framework,
    sha256: r.sha256,
    sizeBytes: r.sizeBytes,
    metadata: r.metadata as ModelMetadata,
    featureSchema: r.featureSchema as FeatureSchema,
    trainingDataVersion: r.trainingDataVersion,
    status: r.status as VersionStatus,
    validation: (r.validation as ValidationResult | null) ?? null,
    createdAt: r.createdAt,
  };
}

const withArtifact = (r: ModelVersionWithArtifact): LoadedArtifact => ({ ...toVersion(r), artifact: r.artifact });

export class ModelRegistry {
  constructor(
    private readonly pool: Pool,
    private readonly defaults: { actor?: string } = {},
  ) {}

  private actor(given?: string): string {
    return given ?? this.defaults.actor ?? 'system';
  }

  /** A SERIALIZABLE transaction scoped like the (type, scope) rows it touches. */
  private tx<T>(scope: Scope, fn: (tx: SerializableTx) => Promise<T>, options?: SerializableOptions): Promise<T> {
    return withSerializable(this.pool, tenantOf(scope), fn, options);
  }

  /** Saves a staged version; a second save of the same (type, scope, data version) returns the first. */
  async save(input: SaveInput, options: { actor?: string } = {}): Promise<SavedVersion> {
    const { scope, artifact, metadata } = input;
    modelType(metadata.typeId);
    const sha256 = sha256Hex(artifact);
    return this.tx(scope, async (tx) => {
      const existing = await versionForData(tx, metadata.typeId, tenantOf(scope), metadata.trainingDataVersion);
      if (existing) {
        const row = toVersion(existing);
        if (row.sha256 !== sha256) {
          throw new PromotionConflict(
            `${metadata.typeId}/${scopeKey(scope)} already has v${row.version} for data version ` +
              `${metadata.trainingDataVersion} with a different artifact ` +
              `(${row.sha256.slice(0, 12)}… ≠ ${sha256.slice(0, 12)}…)`,
          );
        }
        return { ...row, created: false };
      }
      await tx.beforeWrite();
      const id = await insertStagedVersion(tx, {
        typeId: metadata.typeId,
        scope: tenantOf(scope),
        framework: metadata.framework,
        artifact,
        sha256,
        metadata,
        featureSchema: metadata.featureSchema,
        trainingDataVersion: metadata.trainingDataVersion,
      });
      const saved = toVersion(await versionById(tx, id));
      await this.auditAfterWrites(tx, scope, 'model.saved', {
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

  /**
   * The candidate's holdout metric, measured by running its stored bytes (unverified: a
   * tampered artifact is the contract's sha256 check to refuse) on its rebuilt holdout. Done
   * before the contract's transaction: it takes seconds, and nothing it reads ever changes.
   */
  private async measure(typeId: string, scope: Scope, version: number): Promise<HoldoutMeasurement> {
    const c = await this.tx(scope, (tx) => this.versionWithArtifact(tx, typeId, scope, version));
    const { rowSourcesFor } = await import('./data/tenant-trades');
    return measureHoldout({ ...c, typeId: modelTypeId(typeId) }, rowSourcesFor(modelTypeId(typeId), scope, this.pool));
  }

  /** Runs the contract against the current production version and stores the result; no flip. */
  async validate(typeId: string, scope: Scope, version: number): Promise<ValidationResult> {
    const measured = await this.measure(typeId, scope, version);
    return this.tx(scope, async (tx) => {
      const candidate = await this.versionWithArtifact(tx, typeId, scope, version);
      const production = await this.productionRow(tx, typeId, scope);
      const validation = runContract(modelType(typeId).contract, candidate, production, measured);
      await tx.beforeWrite();
      await setValidation(tx, candidate.id, validation);
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
    const measured = await this.measure(typeId, scope, version);
    return this.tx(
      scope,
      async (tx) => {
        // Reads first (the snapshot), then the pointer lock: if another promotion flipped the
        // pointer after our snapshot, the lock fails with a serialization error and the retry
        // sees the new production, which no longer matches `expected`.
        const production = await this.productionRow(tx, typeId, scope);
        const current = production?.version ?? null;
        const candidate = await this.versionWithArtifact(tx, typeId, scope, version);
        if (current === version) return { outcome: 'already_production', version };
        if (current !== expected) {
          throw new PromotionConflict(
            `${typeId}/${scopeKey(scope)}: production is v${current ?? 'none'}, ` +
              `not v${expected ?? 'none'} as expected; ` +
              `another promotion won — validate v${version} again`,
          );
        }
        if (candidate.status !== 'staged' && candidate.status !== 'retired') {
          throw new PromotionConflict(
            `${typeId}/${scopeKey(scope)} v${version} is ${candidate.status}; only staged or retired versions can be ` +
              `promoted (use rollback --to for a rejected one)`,
          );
        }
        const validation = runContract(spec.contract, candidate, production, measured);
        await tx.beforeWrite();
        const pointer = await lockPointer(tx, typeId, tenantOf(scope));
        await setValidation(tx, candidate.id, validation);
        const actor = this.actor(options.actor);
        if (!validation.passed) {
          await this.auditAfterWrites(tx, scope, 'model.promotion_refused', {
            typeId,
            scope: scopeKey(scope),
            version,
            productionVersion: current,
            failed: validation.checks.filter((k) => !k.passed),
            actor,
          });
          return { outcome: 'refused', version, productionVersion: current, validation };
        }
        await flipPointer(tx, {
          typeId,
          scope: tenantOf(scope),
          pointerId: pointer?.id ?? null,
          fromVersionId: production?.id ?? null,
          toVersionId: candidate.id,
          kind: 'promote',
          actor,
          reason: null,
        });
        await setStatus(tx, candidate.id, 'production');
        if (production) await setStatus(tx, production.id, 'retired');
        await notifyModelChannel(tx, MODEL_EVENTS_CHANNEL, {
          event: 'promoted',
          typeId,
          scope,
          version,
          sha256: candidate.sha256,
        } satisfies ModelEvent);
        await this.auditAfterWrites(tx, scope, 'model.promoted', {
          typeId,
          scope: scopeKey(scope),
          version,
          sha256: candidate.sha256,
          previousVersion: current,
          validation,
          actor,
        });
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
    return this.tx(scope, async (tx) => {
      const pointer = await lockPointer(tx, typeId, tenantOf(scope));
      const current = await this.productionRow(tx, typeId, scope);
      if (!current || !pointer)
        throw new ModelNotFound(`${typeId}/${scopeKey(scope)} has no production version to roll back`);
      const targetVersion = options.toVersion ?? (await versionBefore(tx, typeId, tenantOf(scope), current.id));
      if (targetVersion === null)
        throw new ModelNotFound(
          `${typeId}/${scopeKey(scope)} v${current.version} has no previous production version; name one with --to`,
        );
      if (targetVersion === current.version)
        throw new PromotionConflict(`${typeId}/${scopeKey(scope)} v${targetVersion} is already production`);
      const target = await this.versionWithArtifact(tx, typeId, scope, targetVersion);
      const digest = sha256Hex(target.artifact);
      if (digest !== target.sha256)
        throw new ArtifactIntegrityError(
          `${typeId}/${scopeKey(scope)} v${targetVersion}: artifact digest ${digest} ≠ recorded ${target.sha256}; ` +
            `refusing to roll back to it`,
        );
      const actor = this.actor(options.actor);
      await tx.beforeWrite();
      await flipPointer(tx, {
        typeId,
        scope: tenantOf(scope),
        pointerId: pointer.id,
        fromVersionId: current.id,
        toVersionId: target.id,
        kind: 'rollback',
        actor,
        reason: options.reason ?? null,
      });
      await setStatus(tx, current.id, 'rejected');
      await setStatus(tx, target.id, 'production');
      await notifyModelChannel(tx, MODEL_EVENTS_CHANNEL, {
        event: 'rolled_back',
        typeId,
        scope,
        version: targetVersion,
        sha256: target.sha256,
      } satisfies ModelEvent);
      await this.auditAfterWrites(tx, scope, 'model.rolled_back', {
        typeId,
        scope: scopeKey(scope),
        fromVersion: current.version,
        toVersion: targetVersion,
        sha256: target.sha256,
        actor,
        reason: options.reason ?? null,
      });
      return { fromVersion: current.version, toVersion: targetVersion, sha256: target.sha256 };
    });
  }

  /** The production model for a tenant (its own variant, else the global one), SHA-256 verified. */
  async loadProduction(typeId: string, tenantId: number | null = null): Promise<LoadedArtifact | null> {
    const scopes: Scope[] = tenantId === null ? ['global'] : [tenantId, 'global'];
    for (const scope of scopes) {
      const row = await this.tx(scope, (tx) => productionWithArtifact(tx, typeId, tenantOf(scope)));
      if (row) return verified(withArtifact(row));
    }
    return null;
  }

  /** The version trained on a data version, if one was saved (retries and repeated runs reuse it). */
  async versionForData(typeId: string, scope: Scope, dataVersion: string): Promise<VersionRow | null> {
    const row = await this.tx(scope, (tx) => versionForData(tx, typeId, tenantOf(scope), dataVersion));
    return row ? toVersion(row) : null;
  }

  async loadVersion(typeId: string, scope: Scope, version: number): Promise<LoadedArtifact> {
    return verified(await this.tx(scope, (tx) => this.versionWithArtifact(tx, typeId, scope, version)));
  }

  async list(scope: Scope = 'global'): Promise<TypeSummary[]> {
    const rows = await this.tx(scope, (tx) => typeSummaries(tx, tenantOf(scope), MODEL_TYPE_IDS));
    return rows.map((r) => ({ ...r, scope }));
  }

  async describe(
    typeId: string,
    scope: Scope = 'global',
  ): Promise<{ versions: VersionRow[]; productionVersion: number | null; history: PromotionEvent[] }> {
    modelType(typeId);
    return this.tx(scope, async (tx) => {
      const versions = (await versionsOfType(tx, typeId, tenantOf(scope))).map(toVersion);
      const production = await this.productionRow(tx, typeId, scope);
      const history = (await promotionHistory(tx, typeId, tenantOf(scope))).map((h) => ({
        ...h,
        kind: h.kind as PromotionEvent['kind'],
      }));
      return { versions, productionVersion: production?.version ?? null, history };
    });
  }

  async productionVersion(typeId: string, scope: Scope): Promise<number | null> {
    return this.tx(scope, async (tx) => (await this.productionRow(tx, typeId, scope))?.version ?? null);
  }

  private async productionRow(tx: SerializableTx, typeId: string, scope: Scope): Promise<VersionRow | null> {
    const row = await productionVersion(tx, typeId, tenantOf(scope));
    return row ? toVersion(row) : null;
  }

  private async versionWithArtifact(
    tx: SerializableTx,
    typeId: string,
    scope: Scope,
    version: number,
  ): Promise<LoadedArtifact> {
    const row = await versionWithArtifact(tx, typeId, tenantOf(scope), version);
    if (!row) throw new ModelNotFound(`${typeId}/${scopeKey(scope)} has no version ${version}`);
    return withArtifact(row);
  }

  /**
   * Audit rows live under a tenant: the scope's own, or the platform tenant for global models.
   * Switching to it hides the global rows, so this comes after the transaction's last read.
   */
  private async auditAfterWrites(tx: SerializableTx, scope: Scope, event: string, payload: unknown): Promise<void> {
    const tenant = scope === 'global' ? PLATFORM_TENANT_ID : scope;
    if (scope === 'global') await tx.switchTenant(tenant);
    await auditIn(tx.client, tenant, null, event, payload);
  }
}

function verified(row: LoadedArtifact): LoadedArtifact {
  const digest = sha256Hex(row.artifact);
  if (digest !== row.sha256 || row.artifact.length !== row.sizeBytes) {
    throw new ArtifactIntegrityError(
      `${row.typeId}/${scopeKey(row.scope)} v${row.version}: ` +
        `artifact digest ${digest} (${row.artifact.length} bytes) ≠ ` +
        `recorded ${row.sha256} (${row.sizeBytes} bytes); refusing to load it`,
    );
  }
  return row;
}

function modelTypeId(typeId: string): ModelTypeId {
  if (!isModelTypeId(typeId)) throw new RangeError(`unknown model type "${typeId}"`);
  return typeId;
}
