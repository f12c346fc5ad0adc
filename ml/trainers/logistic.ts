/**
 * Weighted, L2-regularised logistic regression fitted by Newton's method (IRLS) on standardised
 * features, with ml-matrix doing the linear algebra. The fitted state is what both the
 * TypeScript reference and the ONNX graph compute: p = σ(Σ ((x − μ)/σ)·w + b).
 */
import { Matrix, solve } from 'ml-matrix';

export interface LogisticState {
  readonly mean: number[];
  readonly scale: number[];
  readonly weights: number[];
  readonly bias: number;
}

export interface LogisticOptions {
  readonly l2?: number;
  readonly iterations?: number;
}

export function standardiser(
  xs: readonly (readonly number[])[],
  weights: readonly number[],
): { mean: number[]; scale: number[] } {
  const p = xs[0]!.length;
  const wsum = weights.reduce((a, b) => a + b, 0);
  const mean = Array.from({ length: p }, (_, j) => xs.reduce((a, x, i) => a + x[j]! * weights[i]!, 0) / wsum);
  const scale = Array.from({ length: p }, (_, j) => {
    const v = xs.reduce((a, x, i) => a + weights[i]! * (x[j]! - mean[j]!) ** 2, 0) / wsum;
    return v > 1e-24 ? Math.sqrt(v) : 1;
  });
  return { mean, scale };
}

export function fitLogistic(
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  weights: readonly number[],
  options: LogisticOptions = {},
): LogisticState {
  const l2 = options.l2 ?? 1;
  const iterations = options.iterations ?? 25;
  const { mean, scale } = standardiser(xs, weights);
  const n = xs.length;
  const p = mean.length + 1;
  // Design matrix with the intercept in the last column.
  const X = new Matrix(xs.map((x) => [...x.map((v, j) => (v - mean[j]!) / scale[j]!), 1]));
  let beta = Matrix.zeros(p, 1);
  for (let it = 0; it < iterations; it++) {
    const eta = X.mmul(beta);
    const H = Matrix.zeros(p, p);
    const g = Matrix.zeros(p, 1);
    for (let i = 0; i < n; i++) {
      const pr = 1 / (1 + Math.exp(-eta.get(i, 0)));
      const w = weights[i]! * Math.max(pr * (1 - pr), 1e-10);
      const r = weights[i]! * (ys[i]! - pr);
      for (let a = 0; a < p; a++) {
        const xa = X.get(i, a);
        g.set(a, 0, g.get(a, 0) + xa * r);
        for (let b = a; b < p; b++) H.set(a, b, H.get(a, b) + w * xa * X.get(i, b));
      }
    }
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < a; b++) H.set(a, b, H.get(b, a));
      // The intercept is not penalised.
      if (a < p - 1) {
        H.set(a, a, H.get(a, a) + l2);
        g.set(a, 0, g.get(a, 0) - l2 * beta.get(a, 0));
      }
    }
    const step = solve(H, g);
    beta = beta.add(step);
    if (step.norm() < 1e-10) break;
  }
  const coef = beta.to1DArray();
  return { mean, scale, weights: coef.slice(0, p - 1), bias: coef[p - 1]! };
}

/** The TypeScript reference prediction. */
export function predictLogistic(state: LogisticState, x: readonly number[]): number {
  let z = state.bias;
  for (let j = 0; j < state.weights.length; j++) z += ((x[j]! - state.mean[j]!) / state.scale[j]!) * state.weights[j]!;
  return 1 / (1 + Math.exp(-z));
}
