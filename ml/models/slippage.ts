/**
 * Fitted slippage coefficients: expected slippage per unit as a share of the quoted spread,
 * share = spreadShare + perLot·(lots − 1) + depth·(units / displayed units)
 *         + impact·√(volume share) + stressLoad·stress.
 * asSlippageModel() gives the domain cost engine's parameter set (domain/costs/slippage.ts),
 * which has no depth or stress term: those are folded in at a typical depth ratio of 1 and calm.
 */
import { DEFAULT_SLIPPAGE_MODEL, type SlippageModel } from '../../domain/costs/slippage';

export const SLIPPAGE_FEATURES = ['lots_minus_1', 'depth_ratio', 'sqrt_volume_share', 'stress'] as const;

export interface SlippageState {
  readonly spreadShare: number;
  readonly perLot: number;
  readonly depth: number;
  readonly impact: number;
  readonly stressLoad: number;
}

/** Expected slippage per unit as a share of the spread, for x in SLIPPAGE_FEATURES order. */
export function slippageShare(s: SlippageState, x: readonly number[]): number {
  return s.spreadShare + s.perLot * x[0]! + s.depth * x[1]! + s.impact * x[2]! + s.stressLoad * x[3]!;
}

export function asSlippageModel(s: SlippageState, version: string): SlippageModel {
  const fix = (v: number) => Math.max(0, v).toFixed(6);
  return {
    ...DEFAULT_SLIPPAGE_MODEL,
    version,
    spreadShare: fix(s.spreadShare + s.depth),
    perLot: fix(s.perLot),
    impact: fix(s.impact),
    impactExponent: '0.5',
  };
}
