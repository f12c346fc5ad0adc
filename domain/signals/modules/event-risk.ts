/**
 * Event risk: P(a shock — a one-minute move of at least SHOCK_MINUTE_MOVE — within the horizon).
 * Jumps cluster with high and rising vol, an inverted term structure and scheduled events.
 */
import { REGIME_PROBABILITY_FACTORS as P } from '../contract';
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineClassificationModule } from './classification-module';

/** A one-minute |log return| this large is a shock (about 10 calm minute sds). */
export const SHOCK_MINUTE_MOVE = 0.003;

export const eventRiskModule = defineClassificationModule({
  name: 'event_risk',
  description: `P(a one-minute move of ${SHOCK_MINUTE_MOVE * 100} % or more within the horizon)`,
  target: 'a shock within the horizon',
  horizonMinutes: DEFAULT_HORIZON_MINUTES,
  classes: ['quiet', 'shock'],
  features: [
    { factor: 'rv_intraday', transform: 'log' },
    { factor: 'vol_index', transform: 'log' },
    { factor: 'term_spread' },
    { factor: 'rv_ratio_5_20' },
    { factor: 'vol_index_change_1d' },
    { factor: 'skew_rr25' },
    { factor: 'event_proximity' },
    { factor: 'session_elapsed' },
    { factor: P.trending },
    { factor: P.panic },
  ],
  label: (t) => (t.maxAbsMinuteReturn >= SHOCK_MINUTE_MOVE ? 1 : 0),
});
