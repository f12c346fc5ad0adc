/**
 * Direction: will the index be higher in an hour? Momentum continues on trending days and calm
 * days revert to their average, so each return and the stretch from the session TWAP enter once
 * per regime, weighted by the detector's probability of that regime: one logistic fit learns a
 * momentum sign for trending and a reversion sign for calm.
 */
import { REGIME_PROBABILITY_FACTORS as P } from '../contract';
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineClassificationModule } from './classification-module';

export const directionModule = defineClassificationModule({
  name: 'direction',
  description: 'P(the index is higher after the horizon than at the decision)',
  target: 'sign of the forward log return',
  horizonMinutes: DEFAULT_HORIZON_MINUTES,
  classes: ['down', 'up'],
  features: [
    { factor: 'mom_intraday', times: P.trending },
    { factor: 'mom_30m', times: P.trending },
    { factor: 'mr_z_twap', times: P.trending },
    { factor: 'mom_intraday', times: P.calm },
    { factor: 'mom_30m', times: P.calm },
    { factor: 'mr_z_twap', times: P.calm },
    { factor: 'mom_intraday', times: P.panic },
    { factor: 'mom_30m', times: P.panic },
  ],
  label: (t) => (t.logReturn > 0 ? 1 : t.logReturn < 0 ? 0 : null),
});
