/**
 * Trend persistence: how straight the next hour's path will be (Kaufman efficiency, 1 = one-way,
 * near 0 = back and forth). Trending days feed on their own moves; calm days chop.
 */
import { REGIME_PROBABILITY_FACTORS as P } from '../contract';
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineModule } from './define-module';

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
    { factor: P.trending },
    { factor: P.panic },
  ],
  outcome: (t) => t.efficiency,
});
