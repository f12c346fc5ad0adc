/**
 * Event risk: the largest one-minute move within the horizon, reported as P(a shock — a move of
 * at least SHOCK_MINUTE_MOVE) with an interval on the move. Jumps cluster with high and rising
 * vol, an inverted term structure and scheduled events.
 */
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineModule } from './define-module';
import { REGIME_LEVELS } from './shared-features';

/** A one-minute |log return| this large is a shock (about 10 calm minute sds). */
export const SHOCK_MINUTE_MOVE = 0.003;

export const eventRiskModule = defineModule({
  name: 'event_risk',
  description: `The largest |one-minute log return| within the horizon; P(shock) = P(≥ ${SHOCK_MINUTE_MOVE})`,
  target: 'largest one-minute |log return| within the horizon',
  horizonMinutes: DEFAULT_HORIZON_MINUTES,
  space: 'log',
  bins: { labels: ['quiet', 'shock'], threshold: SHOCK_MINUTE_MOVE },
  features: [
    { factor: 'rv_intraday', transform: 'log' },
    { factor: 'vol_index', transform: 'log' },
    { factor: 'term_spread' },
    { factor: 'rv_ratio_5_20' },
    { factor: 'vol_index_change_1d' },
    { factor: 'skew_rr25' },
    { factor: 'event_proximity' },
    { factor: 'session_elapsed' },
    ...REGIME_LEVELS,
  ],
  outcome: (t) => t.maxAbsMinuteReturn,
});
