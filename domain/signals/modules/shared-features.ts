/** Feature groups several modules read. */
import { REGIME_PROBABILITY_FACTORS as P } from '../contract';
import type { FeatureSpec } from '../learners/features';

/**
 * Today's move, the last half hour's and the stretch from the session TWAP, each weighted by one
 * regime's probability — momentum continues when trending and reverts when calm, so each regime
 * gets its own sign — and P(panic) itself: panics sell off.
 */
export const PATH_BY_REGIME: readonly FeatureSpec[] = [
  ...[P.trending, P.calm, P.panic].flatMap((p) => [
    { factor: 'mom_intraday', times: p },
    { factor: 'mom_30m', times: p },
    { factor: 'mr_z_twap', times: p },
  ]),
  { factor: P.panic },
];

/** Realised vol today, over 5 days, the HAR forecast and the vol index, in logs. */
export const VOL_LEVELS: readonly FeatureSpec[] = [
  { factor: 'rv_intraday', transform: 'log' },
  { factor: 'rv_cc_5d', transform: 'log' },
  { factor: 'rv_har', transform: 'log' },
  { factor: 'vol_index', transform: 'log' },
];

/** The regime as a level (P(calm) is the rest). */
export const REGIME_LEVELS: readonly FeatureSpec[] = [{ factor: P.trending }, { factor: P.panic }];
