/**
 * Skew: which way the next hour's excursions lean, (up − down) / (up + down) in [−1, 1]. The
 * implied skew says what the market fears; recent momentum and the stretch from the TWAP, per
 * detected regime (as in direction), say where the path is likely to run.
 */
import { REGIME_PROBABILITY_FACTORS as P } from '../contract';
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineModule } from './define-module';

export const skewModule = defineModule({
  name: 'skew',
  description: 'Asymmetry (up − down) / (up + down) of the next horizon’s excursions from the spot',
  target: 'forward excursion asymmetry, −1 … 1',
  horizonMinutes: DEFAULT_HORIZON_MINUTES,
  space: 'identity',
  bounds: [-1, 1],
  features: [
    { factor: 'skew_rr25' },
    { factor: 'skew_put10_premium' },
    { factor: 'mom_intraday', times: P.trending },
    { factor: 'mom_30m', times: P.trending },
    { factor: 'mr_z_twap', times: P.trending },
    { factor: 'mom_intraday', times: P.calm },
    { factor: 'mr_z_twap', times: P.calm },
    { factor: 'mom_intraday', times: P.panic },
    // Panics sell off: the regime itself leans down.
    { factor: P.panic },
  ],
  outcome: (t) => t.asymmetry,
});
