/**
 * Model registry: immutable versions (artifact bytes + SHA-256 + metadata) and one production
 * pointer per (type, scope). tenant_id NULL = the global model; a tenant may have its own
 * variant. Rows are isolated like any tenant table, except that global rows are the ones seen
 * with no tenant set (see globalOrTenantIsolation).
 */
import {
  bigint,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { check } from 'drizzle-orm/pg-core';
import { globalOrTenantIsolation } from './tenancy';
import { tenants } from './tenants';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const modelVersions = pgTable(
  'model_versions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    typeId: text('type_id').notNull(),
    tenantId: integer('tenant_id').references(() => tenants.id),
    version: integer('version').notNull(),
    framework: text('framework').notNull(),
    artifact: bytea('artifact').notNull(),
    sha256: text('sha256').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    /** hyperparameters, train/validation metrics, training data version/end, cadence. */
    metadata: jsonb('metadata').notNull(),
    featureSchema: jsonb('feature_schema').notNull(),
    trainingDataVersion: text('training_data_version').notNull(),
    /** 'staged' | 'production' | 'retired' | 'rejected' */
    status: text('status').notNull().default('staged'),
    validation: jsonb('validation'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('model_versions_type_scope_version').on(t.typeId, t.tenantId, t.version).nullsNotDistinct(),
    unique('model_versions_type_scope_data').on(t.typeId, t.tenantId, t.trainingDataVersion).nullsNotDistinct(),
    check('model_versions_status', sql`${t.status} IN ('staged', 'production', 'retired', 'rejected')`),
    globalOrTenantIsolation('model_versions'),
  ],
).enableRLS();

export const modelPointers = pgTable(
  'model_pointers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    typeId: text('type_id').notNull(),
    tenantId: integer('tenant_id').references(() => tenants.id),
    versionId: bigint('version_id', { mode: 'number' })
      .notNull()
      .references(() => modelVersions.id),
    previousVersionId: bigint('previous_version_id', { mode: 'number' }).references(() => modelVersions.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('model_pointers_type_scope').on(t.typeId, t.tenantId).nullsNotDistinct(),
    globalOrTenantIsolation('model_pointers'),
  ],
).enableRLS();

/** What each running worker serves right now (written by the workers on load / hot-swap). */
export const workerModels = pgTable(
  'worker_models',
  {
    workerId: text('worker_id').notNull(),
    typeId: text('type_id').notNull(),
    /** 'global' or the tenant id as text. */
    scope: text('scope').notNull(),
    version: integer('version').notNull(),
    sha256: text('sha256').notNull(),
    loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workerId, t.typeId, t.scope] }), index('worker_models_type').on(t.typeId)],
);

/**
 * Every production-pointer flip (promotion or rollback), append-only: the history behind
 * "roll back to the previous production version" and `qs models show`.
 */
export const modelPromotions = pgTable(
  'model_promotions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    typeId: text('type_id').notNull(),
    tenantId: integer('tenant_id').references(() => tenants.id),
    fromVersionId: bigint('from_version_id', { mode: 'number' }).references(() => modelVersions.id),
    toVersionId: bigint('to_version_id', { mode: 'number' })
      .notNull()
      .references(() => modelVersions.id),
    /** 'promote' | 'rollback' */
    kind: text('kind').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('model_promotions_type_scope').on(t.typeId, t.tenantId, t.id),
    check('model_promotions_kind', sql`${t.kind} IN ('promote', 'rollback')`),
    globalOrTenantIsolation('model_promotions'),
  ],
).enableRLS();
