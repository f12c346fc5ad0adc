/** The eight signal modules, one per name in SIGNAL_MODULE_NAMES. */
import type { SignalModule, SignalModuleName } from './contract';
import { directionModule } from './modules/direction';
import { eventRiskModule } from './modules/event-risk';
import { gammaRegimeModule } from './modules/gamma-regime';
import { oiFlowModule } from './modules/oi-flow';
import { rangeModule } from './modules/range';
import { realisedVolModule } from './modules/realised-vol';
import { skewModule } from './modules/skew';
import { trendPersistenceModule } from './modules/trend-persistence';

export const SIGNAL_MODULES: Readonly<Record<SignalModuleName, SignalModule>> = {
  direction: directionModule,
  realised_vol: realisedVolModule,
  range: rangeModule,
  trend_persistence: trendPersistenceModule,
  skew: skewModule,
  oi_flow: oiFlowModule,
  gamma_regime: gammaRegimeModule,
  event_risk: eventRiskModule,
};

/** Trains every module on the same dataset (train rows fit, calibration rows calibrate). */
export function trainSignalModules(
  rows: Parameters<SignalModule['train']>[0],
  params?: Parameters<SignalModule['train']>[1],
): Record<SignalModuleName, ReturnType<SignalModule['train']>> {
  const out = {} as Record<SignalModuleName, ReturnType<SignalModule['train']>>;
  for (const m of Object.values(SIGNAL_MODULES)) out[m.name] = m.train(rows, params);
  return out;
}
