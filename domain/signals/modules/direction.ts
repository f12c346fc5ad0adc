/**
 * Direction: will the index be higher in an hour? Momentum continues on trending days and calm
 * days revert to their average, so each return and the stretch from the session TWAP enter once
 * per regime, weighted by the detector's probability of that regime: one ridge fit learns a
 * momentum sign for trending and a reversion sign for calm.
 */
import { REGIME_PROBABILITY_FACTORS as P } from '../contract';
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineModule } from './define-module';

export const directionModule = defineModule({
  name: 'direction',
  description: 'The forward log return, reported as P(down) and P(up) with an interval on the return',
  target: 'forward log return of the index',
  horizonMinutes: DEFAULT_HORIZON_MINUTES,
  space: 'identity',
  bins: { labels: ['down', 'up'], threshold: 0 },
  features: [
    { factor: 'mom_intraday', times: P.trending },
    { factor: 'mom_30m', times: P.trending },
    { factor: 'mr_z_twap', times: P.trending },
    { factor: 'mom_intraday', times: P.calm },
    { factor: 'mom_30m', times: P.calm },
    { factor: 'mr_z_twap', times: P.calm },
    { factor: 'mom_intraday', times: P.panic },
    // Panics sell off: the regime itself leans down.
    { factor: P.panic },
    { factor: 'mom_30m', times: P.panic },
  ],
  outcome: (t) => t.logReturn,
});
