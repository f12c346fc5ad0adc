/**
 * Direction: will the index be higher in an hour? Momentum continues on trending days and calm
 * days revert to their average, so each return and the stretch from the session TWAP enter once
 * per regime, weighted by the detector's probability of that regime: one ridge fit learns a
 * momentum sign for trending and a reversion sign for calm.
 */
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineModule } from './define-module';
import { PATH_BY_REGIME } from './shared-features';

export const directionModule = defineModule({
  name: 'direction',
  description: 'The forward log return, reported as P(down) and P(up) with an interval on the return',
  target: 'forward log return of the index',
  horizonMinutes: DEFAULT_HORIZON_MINUTES,
  space: 'identity',
  bins: { labels: ['down', 'up'], threshold: 0 },
  features: PATH_BY_REGIME,
  outcome: (t) => t.logReturn,
});
