/**
 * Gamma regime: will the next hour realise more or less than the vol index implies? Dealer gamma
 * (its level and the distance to its flip) dampens or amplifies moves; the vol risk premium and
 * the term structure say whether implied vol is rich. The outcome is realised / implied.
 */
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineModule } from './define-module';
import { REGIME_LEVELS } from './shared-features';

export const gammaRegimeModule = defineModule({
  name: 'gamma_regime',
  description: 'Forward realised vol over the vol index (above 1: the options were cheap)',
  target: 'forward realised vol / vol index',
  horizonMinutes: DEFAULT_HORIZON_MINUTES,
  space: 'log',
  features: [
    { factor: 'gex_total' },
    { factor: 'gex_flip_distance' },
    { factor: 'vrp_iv_rv20' },
    { factor: 'vrp_iv_har' },
    { factor: 'term_spread' },
    { factor: 'vol_index', transform: 'log' },
    { factor: 'rv_intraday', transform: 'log' },
    { factor: 'session_elapsed' },
    ...REGIME_LEVELS,
  ],
  outcome: (t, f) => (f.vol_index ? t.realisedVol / f.vol_index : null),
});
