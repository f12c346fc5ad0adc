/** Range: how far apart the high and the low of the next horizon will be (log of high / low). */
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineModule } from './define-module';
import { REGIME_LEVELS, VOL_LEVELS } from './shared-features';

export const rangeModule = defineModule({
  name: 'range',
  description: 'ln(high / low) of the index over the next horizon',
  target: 'forward log range (≈ (high − low) / spot)',
  horizonMinutes: DEFAULT_HORIZON_MINUTES,
  space: 'log',
  features: [...VOL_LEVELS, { factor: 'trend_efficiency' }, { factor: 'session_elapsed' }, ...REGIME_LEVELS],
  outcome: (t) => t.logRange,
});
