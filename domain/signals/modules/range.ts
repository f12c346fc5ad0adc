/** Range: how far apart the high and the low of the next horizon will be (log of high / low). */
import { REGIME_PROBABILITY_FACTORS as P } from '../contract';
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineModule } from './define-module';

export const rangeModule = defineModule({
  name: 'range',
  description: 'ln(high / low) of the index over the next horizon',
  target: 'forward log range (≈ (high − low) / spot)',
  horizonMinutes: DEFAULT_HORIZON_MINUTES,
  space: 'log',
  features: [
    { factor: 'rv_intraday', transform: 'log' },
    { factor: 'rv_cc_5d', transform: 'log' },
    { factor: 'rv_har', transform: 'log' },
    { factor: 'vol_index', transform: 'log' },
    { factor: 'trend_efficiency' },
    { factor: 'session_elapsed' },
    { factor: P.trending },
    { factor: P.panic },
  ],
  outcome: (t) => t.logRange,
});
