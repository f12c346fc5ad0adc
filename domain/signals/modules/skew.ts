/**
 * Skew: which way the next hour's excursions lean, (up − down) / (up + down) in [−1, 1]. The
 * implied skew says what the market fears; recent momentum and the stretch from the TWAP, per
 * detected regime (as in direction), say where the path is likely to run.
 */
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineModule } from './define-module';
import { PATH_BY_REGIME } from './shared-features';

export const skewModule = defineModule({
  name: 'skew',
  description: 'Asymmetry (up − down) / (up + down) of the next horizon’s excursions from the spot',
  target: 'forward excursion asymmetry, −1 … 1',
  horizonMinutes: DEFAULT_HORIZON_MINUTES,
  space: 'identity',
  bounds: [-1, 1],
  features: [{ factor: 'skew_rr25' }, { factor: 'skew_put10_premium' }, ...PATH_BY_REGIME],
  outcome: (t) => t.asymmetry,
});
