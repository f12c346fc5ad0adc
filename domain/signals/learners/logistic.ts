/**
 * Binary logistic regression with an L2 penalty, fitted by a few Newton (IRLS) steps on
 * standardised features; the intercept is not penalised.
 */
import type { FactorValues } from '../../factors/types';
import type { FeatureSpec } from './features';
import { dot, solveSpd } from './linear-algebra';
import { design, fitCore, type LinearCore } from './linear-model';

export interface LogisticState extends LinearCore {
  readonly kind: 'logistic';
  /** [intercept, β₁, …, β_d]: log-odds of label 1 on the standardised features. */
  readonly coefficients: readonly number[];
}

export interface LogisticParams {
  /** Penalty per row; default 0.01. */
  readonly lambda?: number;
  /** Newton steps; default 25 (stops early once the step is tiny). */
  readonly iterations?: number;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export function trainLogistic(
  features: readonly FeatureSpec[],
  rows: readonly { readonly factors: FactorValues; readonly label: 0 | 1 }[],
  params: LogisticParams = {},
): LogisticState {
  const core = fitCore(
    features,
    rows.map((r) => r.factors),
  );
  const xs = rows.map((r) => design(core, r.factors));
  const p = features.length + 1;
  const lambda = (params.lambda ?? 0.01) * rows.length;
  let beta = new Array<number>(p).fill(0);
  for (let it = 0; it < (params.iterations ?? 25); it++) {
    const grad = beta.map((b, i) => (i === 0 ? 0 : -lambda * b));
    const hess = Array.from({ length: p }, (_, i) =>
      Array.from({ length: p }, (_, j) => (i === j ? (i === 0 ? 1e-9 : lambda) : 0)),
    );
    xs.forEach((x, n) => {
      const mu = sigmoid(dot(beta, x));
      const w = Math.max(mu * (1 - mu), 1e-9);
      const resid = rows[n]!.label - mu;
      for (let i = 0; i < p; i++) {
        grad[i]! += resid * x[i]!;
        for (let j = 0; j <= i; j++) hess[i]![j]! += w * x[i]! * x[j]!;
      }
    });
    for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) hess[j]![i] = hess[i]![j]!;
    const step = solveSpd(hess, grad);
    beta = beta.map((b, i) => b + step[i]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { kind: 'logistic', ...core, coefficients: beta };
}

/** P(label = 1). */
export function predictLogistic(state: LogisticState, values: FactorValues): number {
  return sigmoid(dot(state.coefficients, design(state, values)));
}
