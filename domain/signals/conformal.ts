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
 *
 * Mondrian (group-conditional) calibration: rows may carry a group (the detected regime) and
 * classification rows a label; every group, and every (group, label) cell, with at least
 * MIN_GROUP_ROWS rows gets its own threshold, so coverage holds within each regime and each class
 * and the marginal coverage survives a future whose regime mix or class mix differs from the
 * calibration window's (a week of panic, a run of sell-offs) — pooled calibration does not.
 * A thinner (group, label) cell falls back to its label's threshold over all groups (a rare class
 * must not borrow the threshold its group's common class sets), then to its group's, then to
 * the pooled one.
 */

/** A group or (group, label) cell needs this many calibration rows for its own threshold. */
export const MIN_GROUP_ROWS = 30;

export interface ResidualCalibration {
  readonly n: number;
  /** The ⌈(n + 1)(1 − α)⌉-th smallest |residual|. */
  readonly q: number;
  /** Calibration residuals y − ŷ, ascending: the predictive distribution around ŷ. */
  readonly residuals: readonly number[];
}

export interface RegressionConformal extends ResidualCalibration {
  readonly kind: 'regression';
  readonly alpha: number;
  /** By group, for groups with at least MIN_GROUP_ROWS rows. */
  readonly groups: Readonly<Record<string, ResidualCalibration>>;
}

export interface ClassThresholds {
  readonly n: number;
  /** The ⌈(n + 1)(1 − α)⌉-th smallest of 1 − p̂(true class). */
  readonly q: number;
  /** Per label with at least MIN_GROUP_ROWS rows. */
  readonly byClass: Readonly<Record<string, { readonly n: number; readonly q: number }>>;
}

export interface ClassificationConformal extends ClassThresholds {
  readonly kind: 'classification';
  readonly alpha: number;
  readonly groups: Readonly<Record<string, ClassThresholds>>;
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
  if (k > n) {
    const need = Math.ceil(1 / alpha) - 1;
    throw new RangeError(`${n} calibration scores are too few for alpha ${alpha}: need at least ${need}`);
  }
  for (const s of scores) if (!Number.isFinite(s)) throw new RangeError(`non-finite calibration score ${s}`);
  return [...scores].sort((a, b) => a - b)[k - 1]!;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (k === undefined) continue;
    const g = out.get(k);
    if (g) g.push(it);
    else out.set(k, [it]);
  }
  return out;
}

function residualCalibration(pairs: readonly { readonly y: number; readonly yhat: number }[], alpha: number) {
  const residuals = pairs.map((p) => p.y - p.yhat).sort((a, b) => a - b);
  return { n: residuals.length, q: conformalQuantile(residuals.map(Math.abs), alpha), residuals };
}

export function calibrateRegression(
  pairs: readonly { readonly y: number; readonly yhat: number; readonly group?: string }[],
  alpha: number,
): RegressionConformal {
  const groups: Record<string, ResidualCalibration> = {};
  for (const [g, rows] of groupBy(pairs, (p) => p.group))
    if (rows.length >= MIN_GROUP_ROWS) groups[g] = residualCalibration(rows, alpha);
  return { kind: 'regression', alpha, ...residualCalibration(pairs, alpha), groups };
}

const residualsFor = (c: RegressionConformal, group?: string): ResidualCalibration =>
  (group !== undefined ? c.groups[group] : undefined) ?? c;

export function regressionInterval(
  c: RegressionConformal,
  yhat: number,
  group?: string,
): { lower: number; upper: number } {
  const { q } = residualsFor(c, group);
  return { lower: yhat - q, upper: yhat + q };
}

/** The calibration residuals the predictive distribution of this group uses. */
export function predictiveResiduals(c: RegressionConformal, group?: string): readonly number[] {
  return residualsFor(c, group).residuals;
}

/**
 * The level-p quantile of the conformal predictive distribution ŷ + residual: the
 * ⌈(n + 1)p⌉-th smallest residual, clamped to the sample.
 */
export function predictiveQuantile(c: RegressionConformal, yhat: number, p: number, group?: string): number {
  const { n, residuals } = residualsFor(c, group);
  const k = Math.min(n, Math.max(1, Math.ceil((n + 1) * p - 1e-9)));
  return yhat + residuals[k - 1]!;
}

/** P(y > threshold) under the predictive distribution (ties count half). */
export function predictiveExceedance(c: RegressionConformal, yhat: number, threshold: number, group?: string): number {
  const { n, residuals } = residualsFor(c, group);
  let above = 0;
  for (const r of residuals) above += yhat + r > threshold ? 1 : yhat + r === threshold ? 0.5 : 0;
  return (above + 0.5) / (n + 1);
}

interface ClassPair<C extends string> {
  readonly label: C;
  readonly probabilities: Readonly<Record<C, number>>;
  readonly group?: string;
}

function classThresholds<C extends string>(
  pairs: readonly ClassPair<C>[],
  alpha: number,
  byLabel: boolean,
): ClassThresholds {
  const score = (p: ClassPair<C>) => 1 - p.probabilities[p.label];
  const byClass: Record<string, { n: number; q: number }> = {};
  if (byLabel)
    for (const [label, rows] of groupBy(pairs, (p) => p.label))
      if (rows.length >= MIN_GROUP_ROWS)
        byClass[label] = { n: rows.length, q: conformalQuantile(rows.map(score), alpha) };
  return { n: pairs.length, q: conformalQuantile(pairs.map(score), alpha), byClass };
}

export function calibrateClassification<C extends string>(
  pairs: readonly ClassPair<C>[],
  alpha: number,
  mode: 'label-conditional' | 'pooled' = 'label-conditional',
): ClassificationConformal {
  const byLabel = mode === 'label-conditional';
  const groups: Record<string, ClassThresholds> = {};
  for (const [g, rows] of groupBy(pairs, (p) => p.group))
    if (rows.length >= MIN_GROUP_ROWS) groups[g] = classThresholds(rows, alpha, byLabel);
  return { kind: 'classification', alpha, ...classThresholds(pairs, alpha, byLabel), groups };
}

/** The threshold of a class in a group: its (group, label) cell, the label, the group, or pooled. */
function classThreshold(c: ClassificationConformal, label: string, group?: string): number {
  const g = group !== undefined ? c.groups[group] : undefined;
  return g?.byClass[label]?.q ?? c.byClass[label]?.q ?? g?.q ?? c.q;
}

/** The conformal prediction set: every class whose score 1 − p̂ is within its threshold. */
export function predictionSet<C extends string>(
  c: ClassificationConformal,
  probabilities: Readonly<Record<C, number>>,
  group?: string,
): C[] {
  return (Object.keys(probabilities) as C[]).filter((k) => 1 - probabilities[k] <= classThreshold(c, k, group));
}
