/**
 * WeeklyRetrain's side effects. Training data is a pure function of (type, data version), so
 * each activity re-derives what it needs instead of shipping rows through Temporal; the saved
 * version is keyed by (type, scope, data version), so a retried or repeated run reuses it.
 * Training libraries load on first use, keeping the worker's boot light.
 */
import { modelPromotions } from '../runtime/business-metrics';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { auditEventRecorded, auditIn } from '../db/audit';
import { hasOwnPointer, MODEL_RETRAINS_CHANNEL, notifyModelChannel } from '../db/models';
import { PLATFORM_TENANT_ID } from '../db/schema/tenants';
import { activeTenantIds, withTenant } from '../db/tenant';
import { isModelTypeId, type ModelTypeId } from '../ml/model-types';
import {
  ArtifactIntegrityError,
  ModelNotFound,
  ModelRegistry,
  PromotionConflict,
  type PromotionOutcome,
} from '../ml/registry';
import type { Scope, ValidationResult } from '../ml/types';
import { dataVersionAt } from '../contracts/models';
import { scopeKey } from '../ml/types';

export interface RetrainTarget {
  readonly typeId: string;
  readonly scope: Scope;
  readonly dataVersion: string;
}

export interface DatasetSummary {
  readonly rows: number;
  readonly real: number;
  readonly synthetic: number;
  readonly features: string[];
  readonly datasetSha256: string;
}

export interface CandidateSummary {
  readonly version: number;
  readonly sha256: string;
  readonly sizeBytes: number;
  /** false: this data version had been trained and saved before (idempotent re-run). */
  readonly trained: boolean;
  readonly status: string;
  readonly validationMetrics: Record<string, number>;
}

export interface RetrainOutcome extends RetrainTarget {
  readonly workflowId: string;
  readonly version: number;
  readonly result: 'promoted' | 'staged' | 'already_production';
  readonly validation: ValidationResult;
}

const known = (typeId: string): ModelTypeId => {
  if (!isModelTypeId(typeId))
    throw ApplicationFailure.nonRetryable(`unknown model type "${typeId}"`, 'UnknownModelType');
  return typeId;
};

/** Registry errors that a retry cannot fix become non-retryable failures with their name. */
async function registryCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (
      err instanceof PromotionConflict ||
      err instanceof ModelNotFound ||
      err instanceof ArtifactIntegrityError ||
      err instanceof RangeError
    ) {
      throw ApplicationFailure.nonRetryable(err.message, err.name);
    }
    throw err;
  }
}

async function trainingExamples(pool: Pool, typeId: ModelTypeId, scope: Scope, dataVersion: string) {
  const { rawTrainingRows } = await import('../ml/data/datasets');
  const { toExamples, summarise } = await import('../ml/data/rule1');
  const { TRAINERS } = await import('../ml/trainers');
  const { rowSourcesFor } = await import('../ml/data/tenant-trades');
  const rows = await rawTrainingRows(typeId, dataVersion, rowSourcesFor(typeId, scope, pool));
  const examples = toExamples(rows, TRAINERS[typeId].featureSchema);
  const digest = createHash('sha256').update(JSON.stringify(examples)).digest('hex');
  return {
    rows,
    examples,
    digest,
    summary: summarise(examples),
    features: [...TRAINERS[typeId].featureSchema.features],
  };
}

/** A tenant profile variant needs the tenant's own trades; too few and it is served the global profile. */
async function assertEnoughRealTrades(tenantId: number, real: number): Promise<void> {
  const { MIN_REAL_TRADES } = await import('../ml/data/tenant-trades');
  if (real < MIN_REAL_TRADES)
    throw ApplicationFailure.nonRetryable(
      `tenant ${tenantId} has ${real} closed real trades in the profile window, needs ${MIN_REAL_TRADES} ` +
        'for its own tenant_profile (it is served the global one)',
      'NotEnoughTenantTrades',
    );
}

export function createRetrainActivities(deps: { pool: Pool; workerId: string }) {
  const registry = new ModelRegistry(deps.pool, { actor: deps.workerId });
  return {
    /** Fetches and strips (Rule 1) the training rows; returns their summary and digest. */
    async prepareTrainingData(t: RetrainTarget): Promise<DatasetSummary> {
      const typeId = known(t.typeId);
      const data = await registryCall(() => trainingExamples(deps.pool, typeId, t.scope, t.dataVersion));
      if (typeId === 'tenant_profile' && t.scope !== 'global')
        await assertEnoughRealTrades(t.scope, data.summary.real!);
      return {
        rows: data.summary.rows!,
        real: data.summary.real!,
        synthetic: data.summary.synthetic!,
        features: data.features,
        datasetSha256: data.digest,
      };
    },

    /** Trains (heartbeating), evaluates on the holdout, saves the candidate staged. */
    async trainCandidate(t: RetrainTarget & { datasetSha256: string }): Promise<CandidateSummary> {
      const typeId = known(t.typeId);
      const existing = await registry.versionForData(typeId, t.scope, t.dataVersion);
      if (existing) {
        return {
          version: existing.version,
          sha256: existing.sha256,
          sizeBytes: existing.sizeBytes,
          trained: false,
          status: existing.status,
          validationMetrics: existing.metadata.validationMetrics,
        };
      }
      const ctx = Context.current();
      ctx.heartbeat({ stage: 'fetching data' });
      const data = await registryCall(() => trainingExamples(deps.pool, typeId, t.scope, t.dataVersion));
      if (data.digest !== t.datasetSha256) {
        throw ApplicationFailure.nonRetryable(
          `training data for ${typeId}@${t.dataVersion} changed since it was prepared ` +
            `(${data.digest} ≠ ${t.datasetSha256})`,
          'TrainingDataChanged',
        );
      }
      const { trainFromRows, metadataForRun } = await import('../ml/trainers');
      const run = await trainFromRows(typeId, data.rows, {
        onProgress: (p) => ctx.heartbeat({ stage: 'training', ...p }),
      });
      ctx.heartbeat({ stage: 'saving' });
      const metadata = metadataForRun(typeId, run, t.dataVersion);
      const saved = await registryCall(() => registry.save({ scope: t.scope, artifact: run.artifact, metadata }));
      return {
        version: saved.version,
        sha256: saved.sha256,
        sizeBytes: saved.sizeBytes,
        trained: saved.created,
        status: saved.status,
        validationMetrics: run.validationMetrics,
      };
    },

    /** Runs the type's validation contract against the running production version; stores it. */
    async validateCandidate(input: { typeId: string; scope: Scope; version: number }): Promise<ValidationResult> {
      return registryCall(() => registry.validate(known(input.typeId), input.scope, input.version));
    },

    /** Flips the pointer if production is still the version the candidate was validated against. */
    async promoteCandidate(input: {
      typeId: string;
      scope: Scope;
      version: number;
      expectedProduction: number | null;
      actor?: string;
    }): Promise<PromotionOutcome> {
      return registryCall(() =>
        registry.promote(known(input.typeId), input.scope, input.version, {
          expectedProduction: input.expectedProduction,
          actor: input.actor,
        }),
      );
    },

    /** Audits the run's outcome once per workflow id and tells listeners (dashboards, API). */
    async recordRetrainOutcome(o: RetrainOutcome): Promise<{ recorded: boolean }> {
      const tenant = o.scope === 'global' ? PLATFORM_TENANT_ID : o.scope;
      const r = await withTenant(deps.pool, tenant, async (tx) => {
        if (await auditEventRecorded(tx.client, tenant, 'model.retrain_completed', 'workflowId', o.workflowId))
          return { recorded: false };
        await auditIn(tx.client, tenant, null, 'model.retrain_completed', { ...o, scope: scopeKey(o.scope) });
        await notifyModelChannel(tx, MODEL_RETRAINS_CHANNEL, {
          typeId: o.typeId,
          scope: scopeKey(o.scope),
          dataVersion: o.dataVersion,
          version: o.version,
          result: o.result,
        });
        return { recorded: true };
      });
      if (r.recorded) modelPromotions.inc({ model_type: o.typeId, result: o.result }); // once per run
      return r;
    },

    /**
     * Scopes retrained in a type's slot: global, plus every tenant that has its own variant (and,
     * for tenant_profile, every tenant with enough closed real trades for one).
     */
    async listRetrainScopes(input: { typeId: string }): Promise<Scope[]> {
      known(input.typeId);
      const scopes: Scope[] = ['global'];
      const profile = input.typeId === 'tenant_profile' ? await import('../ml/data/tenant-trades') : null;
      // The data version the calling scheduledRetrain picks from its start: today's, a moment ago.
      const dataVersion = profile ? dataVersionAt(Date.now()) : '';
      for (const id of await activeTenantIds(deps.pool)) {
        if (await withTenant(deps.pool, id, (tx) => hasOwnPointer(tx, input.typeId, id))) scopes.push(id);
        // A tenant's profile variant starts once it has enough closed real trades of its own.
        else if (
          profile &&
          (await profile.tenantClosedTrades(deps.pool, id, dataVersion)).length >= profile.MIN_REAL_TRADES
        )
          scopes.push(id);
      }
      return scopes;
    },
  };
}

export type RetrainActivities = ReturnType<typeof createRetrainActivities>;
