/**
 * WeeklyRetrain, per (model type, scope): fetch training data → train (heartbeating) and
 * evaluate on a holdout → save staged → validation contract → promote (compare-and-swap on the
 * production version it was validated against) or stay staged → record and notify. Workers
 * hot-swap on the promotion's NOTIFY. The workflow id `retrain/<type>/<scope>/<dataVersion>`
 * makes a run idempotent per data version.
 *
 * scheduledRetrain is what a Temporal Schedule starts: it picks the data version from the
 * scheduled time (the last trading day before it, IST) and runs WeeklyRetrain as a child for
 * global and every tenant variant of the type, one after another.
 */
import {
  ApplicationFailure,
  executeChild,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { RetrainActivities, RetrainOutcome } from '../activities/retrain';
import { ModelType, TenantId } from '../contracts/search-attributes';
import {
  dataVersionAt,
  retrainWorkflowId,
  type PromotionOutcome,
  type ScheduledRetrainResult,
  type WeeklyRetrainInput,
  type WeeklyRetrainResult,
} from '../contracts/models';
import { TASK_QUEUES } from '../contracts/task-queues';

const quick = proxyActivities<RetrainActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5 },
});

const training = proxyActivities<RetrainActivities>({
  startToCloseTimeout: '45 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 3 },
});

export async function weeklyRetrain(input: WeeklyRetrainInput): Promise<WeeklyRetrainResult> {
  const { typeId, scope, dataVersion } = input;
  upsertSearchAttributes([
    { key: ModelType, value: typeId },
    { key: TenantId, value: String(scope) },
  ]);
  const data = await quick.prepareTrainingData({ typeId, scope, dataVersion });
  const candidate = await training.trainCandidate({ typeId, scope, dataVersion, datasetSha256: data.datasetSha256 });
  const validation = await quick.validateCandidate({ typeId, scope, version: candidate.version });

  let promotion: PromotionOutcome | null = null;
  if (candidate.status === 'production') promotion = { outcome: 'already_production', version: candidate.version };
  else if (validation.passed && input.autoPromote !== false) {
    promotion = await quick.promoteCandidate({
      typeId,
      scope,
      version: candidate.version,
      expectedProduction: validation.comparedWith,
      actor: input.actor ?? workflowInfo().workflowId,
    });
  }
  const result: RetrainOutcome['result'] =
    promotion?.outcome === 'promoted'
      ? 'promoted'
      : promotion?.outcome === 'already_production'
        ? 'already_production'
        : 'staged';
  await quick.recordRetrainOutcome({
    typeId,
    scope,
    dataVersion,
    workflowId: workflowInfo().workflowId,
    version: candidate.version,
    result,
    validation,
  });
  return {
    typeId,
    scope,
    dataVersion,
    version: candidate.version,
    sha256: candidate.sha256,
    trained: candidate.trained,
    rows: data.rows,
    validation,
    promotion,
    result,
  };
}

export async function scheduledRetrain(input: { typeId: string }): Promise<ScheduledRetrainResult> {
  const info = workflowInfo();
  upsertSearchAttributes([{ key: ModelType, value: input.typeId }]);
  const dataVersion = dataVersionAt(info.startTime.getTime());
  const scopes = await quick.listRetrainScopes({ typeId: input.typeId });
  const runs: ScheduledRetrainResult['runs'] = [];
  for (const scope of scopes) {
    const workflowId = retrainWorkflowId(input.typeId, scope, dataVersion);
    try {
      const r = await executeChild(weeklyRetrain, {
        workflowId,
        taskQueue: TASK_QUEUES.ml,
        args: [{ typeId: input.typeId, scope, dataVersion, actor: `schedule:${info.workflowId}` }],
        // A run that failed may be retried; one that completed is not repeated.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
      runs.push({ scope, workflowId, result: r.result });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) runs.push({ scope, workflowId, result: 'already_run' });
      else if (scope === 'global') throw err;
      else runs.push({ scope, workflowId, result: `failed: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  if (runs.length === 0) throw ApplicationFailure.nonRetryable(`no scopes to retrain for ${input.typeId}`);
  return { typeId: input.typeId, dataVersion, runs };
}
