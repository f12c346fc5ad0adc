/**
 * The bandit's context: what the agents see of a decision, as a fixed-length vector built from
 * the combiner's view and a few factor values, each scaled to order one. The names are stored
 * with every agent state so a state trained on one layout cannot be fed another.
 */
import type { CombinedView } from '../combiner/combine';
import type { FactorValues } from '../factors/types';

export const CONTEXT_FEATURES = [
  'bias',
  'direction_score',
  'abs_direction_score',
  'vol_vs_implied',
  'shock_probability',
  'trend_persistence',
  'term_spread',
  'vol_index',
  'days_to_expiry',
] as const;
export type ContextFeature = (typeof CONTEXT_FEATURES)[number];

export const CONTEXT_DIMENSION = CONTEXT_FEATURES.length;

const orZero = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? 0 : v);

/**
 * [1, D·5, |D|·5, ln(forecast vol / vol index), P(shock), efficiency, term spread·10,
 * vol index·5, days to front expiry / 7]: direction scores and spreads are small numbers, so they
 * are stretched to the same order as the rest.
 */
export function agentContext(view: CombinedView, factors: FactorValues): number[] {
  const iv = factors.vol_index ?? null;
  return [
    1,
    view.directionScore * 5,
    Math.abs(view.directionScore) * 5,
    iv && iv > 0 ? Math.log(view.vol.forecast / iv) : 0,
    orZero(view.shockProbability),
    orZero(view.trendPersistence),
    orZero(factors.term_spread) * 10,
    orZero(iv) * 5,
    orZero(factors.time_to_expiry_days) / 7,
  ];
}
