/**
 * Split-conformal prediction. A model fitted on one window is scored on a later, held-out
 * calibration window; the finite-sample quantile of those scores turns any point forecast into
 * an interval (or a set of classes) that covers the truth with probability ≥ 1 − α for data
 * exchangeable with the calibration window, and < 1 − α + 1/(n + 1) when scores do not tie.
 *
 * - Regression: score = |y − ŷ| (in the module's target space); interval ŷ ± q. The signed
 *   residuals are kept too: ŷ + r₍ₖ₎ is the conformal predictive distribution, which gives the
 *   modules their quantiles and bin probabilities.
 * - Classification: score = 1 − p̂(true class); the set holds every class with 1 − p̂(c) ≤ q.
 *
 * q is the ⌈(n + 1)(1 − α)⌉-th smallest of the n scores, i.e. the empirical quantile at level
 * ⌈(n + 1)(1 − α)⌉ / n; calibrate refuses fewer than ⌈1/α⌉ − 1 scores (q would be infinite).
 */

export interface RegressionConformal {
  readonly kind: 'regression';
  readonly alpha: number;
  readonly n: number;
  /** The ⌈(n + 1)(1 − α)⌉-th smallest |residual|. */
  readonly q: number;
  /** Calibration residuals y − ŷ, ascending: the predictive distribution around ŷ. */
  readonly residuals: readonly number[];
}

export interface ClassificationConformal {
  readonly kind: 'classification';
  readonly alpha: number;
  readonly n: number;
  /** The ⌈(n + 1)(1 − α)⌉-th smallest of 1 − p̂(true class). */
  readonly q: number;
}

/** The rank k = ⌈(n + 1)(1 − α)⌉ (1-based) of the conformal quantile among n scores. */
export function conformalRank(n: number, alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  // The epsilon keeps (n + 1)(1 − α) that is an integer in exact arithmetic from rounding up.
  return Math.ceil((n + 1) * (1 - alpha) - 1e-9);
}

/** The finite-sample conformal quantile of `scores` at miscoverage α. */
export function conformalQuantile(scores: readonly number[], alpha: number): number {
  const n = scores.length;
  const k = conformalRank(n, alpha);
  if (k > n)
    throw new RangeError(
      `${n} calibration scores are too few for alpha ${alpha}: need at least ${Math.ceil(1 / alpha) - 1}`,
    );
  for (const s of scores) if (!Number.isFinite(s)) throw new RangeError(`non-finite calibration score ${s}`);
  return [...scores].sort((a, b) => a - b)[k - 1]!;
}

export function calibrateRegression(
  pairs: readonly { readonly y: number; readonly yhat: number }[],
  alpha: number,
): RegressionConformal {
  const residuals = pairs.map((p) => p.y - p.yhat).sort((a, b) => a - b);
  return {
    kind: 'regression',
    alpha,
    n: residuals.length,
    q: conformalQuantile(residuals.map(Math.abs), alpha),
    residuals,
  };
}

export function regressionInterval(c: RegressionConformal, yhat: number): { lower: number; upper: number } {
  return { lower: yhat - c.q, upper: yhat + c.q };
}

/**
 * The level-p quantile of the conformal predictive distribution ŷ + residual: the
 * ⌈(n + 1)p⌉-th smallest residual, clamped to the sample.
 */
export function predictiveQuantile(c: RegressionConformal, yhat: number, p: number): number {
  const k = Math.min(c.n, Math.max(1, Math.ceil((c.n + 1) * p - 1e-9)));
  return yhat + c.residuals[k - 1]!;
}

/** P(y > threshold) under the predictive distribution (ties count half). */
export function predictiveExceedance(c: RegressionConformal, yhat: number, threshold: number): number {
  let above = 0;
  for (const r of c.residuals) above += yhat + r > threshold ? 1 : yhat + r === threshold ? 0.5 : 0;
  return (above + 0.5) / (c.n + 1);
}

export function calibrateClassification<C extends string>(
  pairs: readonly { readonly label: C; readonly probabilities: Readonly<Record<C, number>> }[],
  alpha: number,
): ClassificationConformal {
  const scores = pairs.map((p) => 1 - p.probabilities[p.label]);
  return { kind: 'classification', alpha, n: scores.length, q: conformalQuantile(scores, alpha) };
}

/** The conformal prediction set: every class whose score 1 − p̂ is within q. */
export function predictionSet<C extends string>(
  c: ClassificationConformal,
  probabilities: Readonly<Record<C, number>>,
): C[] {
  return (Object.keys(probabilities) as C[]).filter((k) => 1 - probabilities[k] <= c.q);
}
