/**
 * Realised-vol forecast, HAR style: the log of the next hour's realised vol regressed on the logs
 * of realised vol over today, 5 and 20 days, the HAR and GARCH forecasts and the vol index, with
 * the time of day for the intraday vol profile.
 */
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineModule } from './define-module';
import { REGIME_LEVELS, VOL_LEVELS } from './shared-features';

export const realisedVolModule = defineModule({
  name: 'realised_vol',
  description: 'The annualised one-minute realised vol of the next horizon',
  target: 'forward realised vol, annualised decimal',
  horizonMinutes: DEFAULT_HORIZON_MINUTES,
  space: 'log',
  features: [
    ...VOL_LEVELS,
    { factor: 'rv_cc_20d', transform: 'log' },
    { factor: 'rv_garch11', transform: 'log' },
    { factor: 'session_elapsed' },
    ...REGIME_LEVELS,
  ],
  outcome: (t) => t.realisedVol,
});
