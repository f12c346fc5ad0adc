/**
 * Per-type accessors, the way code reaches a model: `trendClassifier.get(tenantId)` returns
 * the model the process serves now (hot-swapped under it on promotion), `.refresh()` re-pulls
 * it from the registry. A worker installs its ModelCache once at boot.
 */
import type { ModelsByType } from './adapters';
import type { ModelCache } from './model-cache';
import type { ModelTypeId } from './model-types';

let installed: ModelCache | null = null;

export function installModelCache(cache: ModelCache | null): void {
  installed = cache;
}

export function modelCache(): ModelCache {
  if (!installed)
    throw new Error('no model cache in this process: the worker installs one at boot (installModelCache)');
  return installed;
}

export interface ModelAccessor<T extends ModelTypeId> {
  readonly typeId: T;
  get(tenantId?: number | null): Promise<ModelsByType[T] | null>;
  refresh(tenantId?: number | null): Promise<boolean>;
}

function accessor<T extends ModelTypeId>(typeId: T): ModelAccessor<T> {
  return {
    typeId,
    get: (tenantId = null) => modelCache().get(typeId, tenantId),
    refresh: (tenantId = null) => modelCache().refresh(typeId, tenantId),
  };
}

export const trendClassifier = accessor('trend_classifier');
export const strikeSelector = accessor('strike_selector');
export const slippageCoefficients = accessor('slippage_coefficients');
export const anomalyDetector = accessor('anomaly_detector');
export const featureDriftMonitor = accessor('feature_drift_monitor');
export const signalStack = accessor('signal_stack');
export const strategyAgents = accessor('strategy_agents');
export const tenantProfile = accessor('tenant_profile');
