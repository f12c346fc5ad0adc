/**
 * Decision models for a backtest trained in this process on a data version that ends before the
 * backtest's window (`qs backtest --train-through d`): the same trainers the weekly retrain runs,
 * no registry and no stack, so the window is out of sample by construction. Each model is
 * identified as version 0 with the SHA-256 of its artifact.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DECISION_MODEL_TYPES, type ModelSource } from '../../activities/decide';
import { instantiate, type AnyModel } from '../../ml/adapters';
import type { ModelTypeId } from '../../ml/model-types';
import { ModelRegistry } from '../../ml/registry';
import { trainOnDataVersion } from '../../ml/trainers';
import { UsageError } from '../usage-error';

/**
 * The registry's production decision models must have been trained on data that ends before the
 * window, or the backtest would score them on what they learnt from.
 */
export async function assertOutOfSample(pool: Pool, from: string): Promise<void> {
  const registry = new ModelRegistry(pool);
  for (const typeId of ['signal_stack', 'strategy_agents'] as const) {
    const m = await registry.loadProduction(typeId);
    if (m && m.trainingDataVersion >= from)
      throw new UsageError(
        `--from: ${typeId} v${m.version} in production was trained on data through ${m.trainingDataVersion}, ` +
          `not before ${from}; backtest a later window or train in process with --train-through <date before it>`,
      );
  }
}

export async function trainedModelSource(
  dataVersion: string,
  onTrained?: (typeId: ModelTypeId, ms: number) => void,
): Promise<ModelSource> {
  const models = new Map<ModelTypeId, AnyModel>();
  for (const typeId of DECISION_MODEL_TYPES) {
    const t0 = Date.now();
    const { run } = await trainOnDataVersion(typeId, dataVersion);
    const sha256 = createHash('sha256').update(run.artifact).digest('hex');
    const id = { typeId, version: 0, sha256, scope: 'global' as const, featureSchema: run.featureSchema };
    models.set(typeId, await instantiate(id, run.artifact));
    onTrained?.(typeId, Date.now() - t0);
  }
  return {
    get: async (typeId) => (models.get(typeId) ?? null) as never,
  };
}
