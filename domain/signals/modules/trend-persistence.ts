/**
 * Trend persistence: how straight the next hour's path will be (Kaufman efficiency, 1 = one-way,
 * near 0 = back and forth). Trending days feed on their own moves; calm days chop.
 */
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineModule } from './define-module';
import { REGIME_LEVELS } from './shared-features';

export const trendPersistenceModule = defineModule({
  name: 'trend_persistence',
  description: 'Efficiency |net move| / path length of the next horizon, in [0, 1]',
  target: 'forward path efficiency, 0 … 1',
  horizonMinutes: DEFAULT_HORIZON_MINUTES,
  space: 'identity',
  bounds: [0, 1],
  features: [
    { factor: 'trend_efficiency' },
    { factor: 'mom_intraday', transform: 'abs' },
    { factor: 'mom_30m', transform: 'abs' },
    { factor: 'mr_z_twap', transform: 'abs' },
    { factor: 'vol_index', transform: 'log' },
    { factor: 'term_spread' },
    { factor: 'rv_intraday', transform: 'log' },
    ...REGIME_LEVELS,
  ],
  outcome: (t) => t.efficiency,
});
