/**
 * Ridge regression by the closed form (XᵀX + λ·n·I)β = Xᵀy on standardised features; the
 * intercept is not penalised.
 */
import type { FactorValues } from '../../factors/types';
import type { FeatureSpec } from './features';
import { dot, solveSpd } from './linear-algebra';
import { design, fitCore, type LinearCore } from './linear-model';

export interface RidgeState extends LinearCore {
  readonly kind: 'ridge';
  /** [intercept, β₁, …, β_d] on the standardised features. */
  readonly coefficients: readonly number[];
}

export interface RidgeParams {
  /** Penalty per row on the standardised coefficients; default 0.01. */
  readonly lambda?: number;
}

export function trainRidge(
  features: readonly FeatureSpec[],
  rows: readonly { readonly factors: FactorValues; readonly y: number }[],
  params: RidgeParams = {},
): RidgeState {
  const core = fitCore(
    features,
    rows.map((r) => r.factors),
  );
  const p = features.length + 1;
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  for (const r of rows) {
    if (!Number.isFinite(r.y)) throw new RangeError(`non-finite target ${r.y}`);
    const x = design(core, r.factors);
    for (let i = 0; i < p; i++) {
      xty[i]! += x[i]! * r.y;
      for (let j = 0; j <= i; j++) xtx[i]![j]! += x[i]! * x[j]!;
    }
  }
  const lambda = (params.lambda ?? 0.01) * rows.length;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) xtx[j]![i] = xtx[i]![j]!;
    // A tiny ridge on the intercept keeps the system definite when every row is identical.
    xtx[i]![i]! += i === 0 ? 1e-9 : lambda;
  }
  return { kind: 'ridge', ...core, coefficients: solveSpd(xtx, xty) };
}

export function predictRidge(state: RidgeState, values: FactorValues): number {
  return dot(state.coefficients, design(state, values));
}
