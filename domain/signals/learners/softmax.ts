/**
 * Multinomial logistic (softmax) regression with an L2 penalty, fitted by Newton steps on the
 * full Hessian; the first class is the reference (its coefficients stay zero), so the problem is
 * identified and the Hessian definite.
 */
import type { FactorValues } from '../../factors/types';
import type { FeatureSpec } from './features';
import { dot, solveSpd } from './linear-algebra';
import { design, fitCore, type LinearCore } from './linear-model';

export interface SoftmaxState<C extends string = string> extends LinearCore {
  readonly kind: 'softmax';
  readonly classes: readonly C[];
  /** One row per class, [intercept, β₁, …, β_d]; the first row (reference) is all zeros. */
  readonly coefficients: readonly (readonly number[])[];
}

export interface SoftmaxParams {
  readonly lambda?: number;
  readonly iterations?: number;
}

function softmax(scores: readonly number[]): number[] {
  const m = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - m));
  const total = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / total);
}

export function trainSoftmax<C extends string>(
  classes: readonly C[],
  features: readonly FeatureSpec[],
  rows: readonly { readonly factors: FactorValues; readonly label: C }[],
  params: SoftmaxParams = {},
): SoftmaxState<C> {
  if (classes.length < 2) throw new RangeError('softmax needs at least two classes');
  const core = fitCore(
    features,
    rows.map((r) => r.factors),
  );
  const xs = rows.map((r) => design(core, r.factors));
  const ys = rows.map((r) => {
    const k = classes.indexOf(r.label);
    if (k < 0) throw new RangeError(`label ${r.label} is not one of ${classes.join(', ')}`);
    return k;
  });
  const p = features.length + 1;
  const free = classes.length - 1;
  const dim = free * p;
  const lambda = (params.lambda ?? 0.01) * rows.length;
  let theta = new Array<number>(dim).fill(0);
  const coef = (t: readonly number[]) => [
    new Array<number>(p).fill(0),
    ...Array.from({ length: free }, (_, k) => t.slice(k * p, (k + 1) * p)),
  ];
  for (let it = 0; it < (params.iterations ?? 25); it++) {
    const c = coef(theta);
    const grad = theta.map((v, i) => (i % p === 0 ? 0 : -lambda * v));
    const hess = Array.from({ length: dim }, (_, i) =>
      Array.from({ length: dim }, (_, j) => (i === j ? (i % p === 0 ? 1e-9 : lambda) : 0)),
    );
    xs.forEach((x, n) => {
      const probs = softmax(c.map((row) => dot(row, x)));
      for (let a = 0; a < free; a++) {
        const pa = probs[a + 1]!;
        const resid = (ys[n] === a + 1 ? 1 : 0) - pa;
        for (let i = 0; i < p; i++) grad[a * p + i]! += resid * x[i]!;
        for (let b = 0; b <= a; b++) {
          const w = pa * ((a === b ? 1 : 0) - probs[b + 1]!);
          for (let i = 0; i < p; i++)
            for (let j = 0; j < p; j++) {
              if (a === b && j > i) continue;
              hess[a * p + i]![b * p + j]! += w * x[i]! * x[j]!;
            }
        }
      }
    });
    for (let i = 0; i < dim; i++) for (let j = 0; j < i; j++) hess[j]![i] = hess[i]![j]!;
    const step = solveSpd(hess, grad);
    theta = theta.map((v, i) => v + step[i]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { kind: 'softmax', ...core, classes: [...classes], coefficients: coef(theta) };
}

/** Class probabilities, in the state's class order. */
export function predictSoftmax<C extends string>(state: SoftmaxState<C>, values: FactorValues): number[] {
  const x = design(state, values);
  return softmax(state.coefficients.map((row) => dot(row, x)));
}
