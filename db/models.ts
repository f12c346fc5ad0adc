/**
 * The model registry's rows: versions (artifact bytes, digest, metadata), the production
 * pointer per (type, scope), the promotion history, what each worker serves, and the NOTIFY
 * channel workers LISTEN on. Scope is the tenant id of a tenant's variant, or null for the
 * global model; the transaction's tenant decides which of them are visible (RLS), and every
 * function here runs inside one (db/tenant.ts: withSerializable, withTenant, withoutTenant).
 * JSON columns come back as stored; ml/registry.ts gives them their types.
 */
import type { Client, Pool } from 'pg';
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { createDb } from './client';
import { modelPointers, modelPromotions, modelVersions, workerModels } from './schema/models';
import type { Tx } from './tenant';

/** null: the global model. */
export type ModelScope = number | null;

export interface ModelVersionRecord {
  readonly id: number;
  readonly typeId: string;
  readonly tenantId: number | null;
  readonly version: number;
  readonly framework: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly metadata: unknown;
  readonly featureSchema: unknown;
  readonly trainingDataVersion: string;
  readonly status: string;
  readonly validation: unknown;
  /** ISO-8601 UTC to the second. */
  readonly createdAt: string;
}

export type ModelVersionWithArtifact = ModelVersionRecord & { readonly artifact: Buffer };

const RECORD = {
  id: modelVersions.id,
  typeId: modelVersions.typeId,
  tenantId: modelVersions.tenantId,
  version: modelVersions.version,
  framework: modelVersions.framework,
  sha256: modelVersions.sha256,
  sizeBytes: modelVersions.sizeBytes,
  metadata: modelVersions.metadata,
  featureSchema: modelVersions.featureSchema,
  trainingDataVersion: modelVersions.trainingDataVersion,
  status: modelVersions.status,
  validation: modelVersions.validation,
  createdAt: modelVersions.createdAt,
};
const WITH_ARTIFACT = { ...RECORD, artifact: modelVersions.artifact };

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const record = <R extends { createdAt: Date }>(r: R) => ({ ...r, createdAt: isoSeconds(r.createdAt) });

/** tenant_id IS NOT DISTINCT FROM scope. */
const inScope = (column: AnyPgColumn, scope: ModelScope): SQL => (scope === null ? isNull(column) : eq(column, scope));

const ofType = (typeId: string, scope: ModelScope) =>
  and(eq(modelVersions.typeId, typeId), inScope(modelVersions.tenantId, scope));

export async function versionForData(
  { db }: Tx,
  typeId: string,
  scope: ModelScope,
  dataVersion: string,
): Promise<ModelVersionRecord | null> {
  const [r] = await db
    .select(RECORD)
    .from(modelVersions)
    .where(and(ofType(typeId, scope), eq(modelVersions.trainingDataVersion, dataVersion)));
  return r ? record(r) : null;
}

export async function versionWithArtifact(
  { db }: Tx,
  typeId: string,
  scope: ModelScope,
  version: number,
): Promise<ModelVersionWithArtifact | null> {
  const [r] = await db
    .select(WITH_ARTIFACT)
    .from(modelVersions)
    .where(and(ofType(typeId, scope), eq(modelVersions.version, version)));
  return r ? record(r) : null;
}

export async function versionsOfType({ db }: Tx, typeId: string, scope: ModelScope): Promise<ModelVersionRecord[]> {
  const rows = await db
    .select(RECORD)
    .from(modelVersions)
    .where(ofType(typeId, scope))
    .orderBy(asc(modelVersions.version));
  return rows.map(record);
}

/** The version the production pointer names, its artifact loaded only when asked for. */
async function pointedAt({ db }: Tx, withArtifact: boolean, typeId: string, scope: ModelScope) {
  // Typed as the wider column set; without the artifact the field is simply absent.
  const columns = (withArtifact ? WITH_ARTIFACT : RECORD) as typeof WITH_ARTIFACT;
  const [r] = await db
    .select(columns)
    .from(modelPointers)
    .innerJoin(modelVersions, eq(modelVersions.id, modelPointers.versionId))
    .where(and(eq(modelPointers.typeId, typeId), inScope(modelPointers.tenantId, scope)));
  return r ? record(r) : null;
}

export const productionVersion = (tx: Tx, typeId: string, scope: ModelScope): Promise<ModelVersionRecord | null> =>
  pointedAt(tx, false, typeId, scope);

export const productionWithArtifact = (
  tx: Tx,
  typeId: string,
  scope: ModelScope,
): Promise<ModelVersionWithArtifact | null> => pointedAt(tx, true, typeId, scope);

/** The next version number of (type, scope), saved staged; returns the new row's id. */
export async function insertStagedVersion(
  { client }: Tx,
  v: {
    typeId: string;
    scope: ModelScope;
    framework: string;
    artifact: Buffer;
    sha256: string;
    metadata: unknown;
    featureSchema: unknown;
    trainingDataVersion: string;
  },
): Promise<number> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO model_versions (type_id, tenant_id, version, framework, artifact, sha256, size_bytes, metadata,
                                 feature_schema, training_data_version, status)
     VALUES ($1, $2,
             (SELECT coalesce(max(version), 0) + 1 FROM model_versions
               WHERE type_id = $1 AND tenant_id IS NOT DISTINCT FROM $2),
             $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, 'staged')
     RETURNING id`,
    [
      v.typeId,
      v.scope,
      v.framework,
      v.artifact,
      v.sha256,
      v.artifact.length,
      JSON.stringify(v.metadata),
      JSON.stringify(v.featureSchema),
      v.trainingDataVersion,
    ],
  );
  return Number(rows[0]!.id);
}

export async function versionById({ db }: Tx, id: number): Promise<ModelVersionRecord> {
  const [r] = await db.select(RECORD).from(modelVersions).where(eq(modelVersions.id, id));
  if (!r) throw new Error(`model version id ${id} is not visible in this transaction`);
  return record(r);
}

export async function setValidation({ db }: Tx, versionId: number, validation: unknown): Promise<void> {
  await db.update(modelVersions).set({ validation }).where(eq(modelVersions.id, versionId));
}

export async function setStatus({ db }: Tx, versionId: number, status: string): Promise<void> {
  await db.update(modelVersions).set({ status }).where(eq(modelVersions.id, versionId));
}

/** Locks the (type, scope) production pointer for this transaction; null when none exists yet. */
export async function lockPointer(
  { db }: Tx,
  typeId: string,
  scope: ModelScope,
): Promise<{ id: number; versionId: number } | null> {
  const [p] = await db
    .select({ id: modelPointers.id, versionId: modelPointers.versionId })
    .from(modelPointers)
    .where(and(eq(modelPointers.typeId, typeId), inScope(modelPointers.tenantId, scope)))
    .for('update');
  return p ?? null;
}

/**
 * Points (type, scope) at `toVersionId` (creating the pointer the first time) and appends the
 * flip to the promotion history.
 */
export async function flipPointer(
  { db }: Tx,
  f: {
    typeId: string;
    scope: ModelScope;
    pointerId: number | null;
    fromVersionId: number | null;
    toVersionId: number;
    kind: 'promote' | 'rollback';
    actor: string;
    reason: string | null;
  },
): Promise<void> {
  if (f.pointerId === null) {
    await db.insert(modelPointers).values({
      typeId: f.typeId,
      tenantId: f.scope,
      versionId: f.toVersionId,
      previousVersionId: f.fromVersionId,
    });
  } else {
    await db
      .update(modelPointers)
      .set({ versionId: f.toVersionId, previousVersionId: f.fromVersionId, updatedAt: sql`now()` })
      .where(eq(modelPointers.id, f.pointerId));
  }
  await db.insert(modelPromotions).values({
    typeId: f.typeId,
    tenantId: f.scope,
    fromVersionId: f.fromVersionId,
    toVersionId: f.toVersionId,
    kind: f.kind,
    actor: f.actor,
    reason: f.reason,
  });
}

/**
 * The version that was production before `currentVersionId` became it: the `from` of the flip
 * that made it production (a promotion preferred over a rollback onto it, latest first).
 */
export async function versionBefore(
  { client }: Tx,
  typeId: string,
  scope: ModelScope,
  currentVersionId: number,
): Promise<number | null> {
  const { rows } = await client.query<{ version: number }>(
    `SELECT f.version FROM model_promotions p JOIN model_versions f ON f.id = p.from_version_id
      WHERE p.type_id = $1 AND p.tenant_id IS NOT DISTINCT FROM $2 AND p.to_version_id = $3
      ORDER BY (p.kind = 'promote') DESC, p.id DESC LIMIT 1`,
    [typeId, scope, currentVersionId],
  );
  return rows[0] ? Number(rows[0].version) : null;
}

export interface PromotionRecord {
  readonly kind: string;
  readonly fromVersion: number | null;
  readonly toVersion: number;
  readonly actor: string;
  readonly reason: string | null;
  readonly at: string;
}

export async function promotionHistory({ client }: Tx, typeId: string, scope: ModelScope): Promise<PromotionRecord[]> {
  const { rows } = await client.query<{
    kind: string;
    from_version: number | null;
    to_version: number;
    actor: string;
    reason: string | null;
    at: string;
  }>(
    `SELECT p.kind, f.version AS from_version, t.version AS to_version, p.actor, p.reason,
            to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at
       FROM model_promotions p
       JOIN model_versions t ON t.id = p.to_version_id
       LEFT JOIN model_versions f ON f.id = p.from_version_id
      WHERE p.type_id = $1 AND p.tenant_id IS NOT DISTINCT FROM $2 ORDER BY p.id`,
    [typeId, scope],
  );
  return rows.map((r) => ({
    kind: r.kind,
    fromVersion: r.from_version === null ? null : Number(r.from_version),
    toVersion: Number(r.to_version),
    actor: r.actor,
    reason: r.reason,
    at: r.at,
  }));
}

export interface TypeSummaryRecord {
  readonly typeId: string;
  readonly productionVersion: number | null;
  readonly sha256: string | null;
  readonly framework: string | null;
  readonly latestVersion: number | null;
  readonly staged: number;
  readonly updatedAt: string | null;
}

/** One line per model type (the catalogue's and any other with versions in this scope). */
export async function typeSummaries(
  { client }: Tx,
  scope: ModelScope,
  catalogue: readonly string[],
): Promise<TypeSummaryRecord[]> {
  const { rows } = await client.query(
    `SELECT t.type_id, pv.version AS production_version, pv.sha256, pv.framework,
            (SELECT max(version) FROM model_versions v
              WHERE v.type_id = t.type_id AND v.tenant_id IS NOT DISTINCT FROM $1) AS latest_version,
            (SELECT count(*) FROM model_versions v
              WHERE v.type_id = t.type_id AND v.tenant_id IS NOT DISTINCT FROM $1 AND v.status = 'staged') AS staged,
            to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at
       FROM (SELECT unnest($2::text[]) AS type_id
             UNION SELECT DISTINCT type_id FROM model_versions WHERE tenant_id IS NOT DISTINCT FROM $1) t
       LEFT JOIN model_pointers p ON p.type_id = t.type_id AND p.tenant_id IS NOT DISTINCT FROM $1
       LEFT JOIN model_versions pv ON pv.id = p.version_id
      ORDER BY t.type_id`,
    [scope, catalogue],
  );
  return rows.map((r) => ({
    typeId: r.type_id,
    productionVersion: r.production_version === null ? null : Number(r.production_version),
    sha256: r.sha256 ?? null,
    framework: r.framework ?? null,
    latestVersion: r.latest_version === null ? null : Number(r.latest_version),
    staged: Number(r.staged),
    updatedAt: r.updated_at ?? null,
  }));
}

/** Whether the transaction's tenant has its own pointer (a variant in production) for a type. */
export async function hasOwnPointer({ db }: Tx, typeId: string, tenantId: number): Promise<boolean> {
  const rows = await db
    .select({ id: modelPointers.id })
    .from(modelPointers)
    .where(and(eq(modelPointers.typeId, typeId), eq(modelPointers.tenantId, tenantId)))
    .limit(1);
  return rows.length > 0;
}

// ---------- notifications ----------

/** Promotions and rollbacks, for the workers' model caches. */
export const MODEL_EVENTS_CHANNEL = 'qs_model_events';
/** Finished retrain runs, for dashboards and the API. */
export const MODEL_RETRAINS_CHANNEL = 'qs_model_retrains';
export type ModelChannel = typeof MODEL_EVENTS_CHANNEL | typeof MODEL_RETRAINS_CHANNEL;

/** Delivered to LISTENers when the transaction commits, never if it rolls back. */
export async function notifyModelChannel({ client }: Tx, channel: ModelChannel, payload: unknown): Promise<void> {
  await client.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(payload)]);
}

/** Subscribes a dedicated (non-pooled) connection to a channel; its 'notification' events follow. */
export async function listenOn(client: Client, channel: ModelChannel): Promise<void> {
  await client.query(`LISTEN ${channel}`);
}

// ---------- what workers serve (a platform table: no tenant) ----------

export interface ServedModelRecord {
  readonly workerId: string;
  readonly typeId: string;
  /** 'global' or the tenant id as text. */
  readonly scope: string;
  readonly version: number;
  readonly sha256: string;
  readonly loadedAt: Date;
}

export async function recordServedModel(
  pool: Pool,
  m: { workerId: string; typeId: string; scope: string; version: number; sha256: string },
): Promise<void> {
  const loadedAt = sql`now()`;
  await createDb(pool)
    .insert(workerModels)
    .values({ ...m, loadedAt })
    .onConflictDoUpdate({
      target: [workerModels.workerId, workerModels.typeId, workerModels.scope],
      set: { version: m.version, sha256: m.sha256, loadedAt },
    });
}

export async function forgetWorker(pool: Pool, workerId: string): Promise<void> {
  await createDb(pool).delete(workerModels).where(eq(workerModels.workerId, workerId));
}

export async function servedModels(pool: Pool): Promise<ServedModelRecord[]> {
  return createDb(pool)
    .select()
    .from(workerModels)
    .orderBy(asc(workerModels.workerId), asc(workerModels.typeId), asc(workerModels.scope));
}
