/**
 * Out-of-sample information coefficient (IC) of a factor: the Spearman correlation between its
 * value at a decision time and what followed (a forward return, a forward realised vol).
 *
 * - icByPeriod: one IC per evaluation period (e.g. per week: every decision of the week against
 *   its own forward target), the series the promotion rule reads.
 * - icByHorizon / fitIcHalfLife: how the IC fades as the horizon lengthens; the fitted half-life
 *   is compared with the factor's expectedDecay.
 * - forwardLogReturns / forwardRealisedVol: targets from a series of closes, aligned with it.
 */
import { spearman } from './rank-correlation';

export interface IcSample {
  /** Evaluation period label, e.g. an ISO week '2026-W19'. */
  readonly period: string;
  readonly value: number | null;
  readonly target: number | null;
}

export interface PeriodIc {
  readonly period: string;
  /** Null when the period has fewer than 3 usable pairs or a constant side. */
  readonly ic: number | null;
  /** Pairs with both value and target known. */
  readonly n: number;
}

/** IC per period, periods in order of first appearance. */
export function icByPeriod(samples: readonly IcSample[]): PeriodIc[] {
  const groups = new Map<string, IcSample[]>();
  for (const s of samples) {
    const g = groups.get(s.period);
    if (g) g.push(s);
    else groups.set(s.period, [s]);
  }
  return [...groups].map(([period, g]) => ({
    period,
    ic: spearman(
      g.map((s) => s.value),
      g.map((s) => s.target),
    ),
    n: g.filter((s) => s.value !== null && s.target !== null).length,
  }));
}

/** ln(close[t+h] / close[t]) for each t; null where t + h runs past the end. */
export function forwardLogReturns(closes: readonly number[], horizon: number): (number | null)[] {
  return closes.map((c, t) => (t + horizon < closes.length ? Math.log(closes[t + horizon]! / c) : null));
}

/**
 * Realised vol over the next h steps, √(Σ r² / h · periodsPerYear) of the log returns from t to
 * t + h; null where that runs past the end.
 */
export function forwardRealisedVol(
  closes: readonly number[],
  horizon: number,
  periodsPerYear = 252,
): (number | null)[] {
  return closes.map((_, t) => {
    if (t + horizon >= closes.length) return null;
    let s = 0;
    for (let k = t + 1; k <= t + horizon; k++) s += Math.log(closes[k]! / closes[k - 1]!) ** 2;
    return Math.sqrt((s / horizon) * periodsPerYear);
  });
}

export interface HorizonIc {
  readonly horizon: number;
  readonly ic: number | null;
}

/** IC of the same factor values against targets at several horizons (targets aligned with values). */
export function icByHorizon(
  values: readonly (number | null)[],
  targetsByHorizon: ReadonlyMap<number, readonly (number | null)[]>,
): HorizonIc[] {
  return [...targetsByHorizon]
    .sort(([a], [b]) => a - b)
    .map(([horizon, targets]) => ({ horizon, ic: spearman(values, targets) }));
}

/**
 * Half-life of the IC in horizon units: least squares of ln|IC(h)| on h over the horizons whose
 * IC keeps the sign of the shortest one, half-life = −ln 2 / slope. Null with fewer than two
 * such horizons or when the IC does not fade (slope ≥ 0).
 */
export function fitIcHalfLife(points: readonly HorizonIc[]): number | null {
  const known = points.filter((p) => p.ic !== null && p.ic !== 0).sort((a, b) => a.horizon - b.horizon);
  if (known.length === 0) return null;
  const sign = Math.sign(known[0]!.ic!);
  const use = known.filter((p) => Math.sign(p.ic!) === sign);
  if (use.length < 2) return null;
  const xs = use.map((p) => p.horizon);
  const ys = use.map((p) => Math.log(Math.abs(p.ic!)));
  const mx = xs.reduce((a, x) => a + x, 0) / xs.length;
  const my = ys.reduce((a, y) => a + y, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  return slope < 0 ? -Math.LN2 / slope : null;
}
