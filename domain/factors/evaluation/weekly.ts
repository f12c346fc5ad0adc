/**
 * The weekly factor evaluation's pure parts. Each week ends on a trading day; its IC of a factor
 * is the Spearman correlation, over that week's decisions, between the factor's value and what
 * the next hour brought — the forward log return for factors about direction (momentum, mean
 * reversion, skew, OI flow), the forward realised vol for the others (volatility, VRP, IV level,
 * term structure, gamma, calendar): each factor is judged on what it is meant to foresee. The
 * rolling window of those weekly ICs feeds reviewPool; its trend (slope per week) is how the IC
 * is decaying, recorded with each review.
 */
import { previousTradingDay, isTradingDay } from '../../calendar';
import { addDays, type IsoDate } from '../../dates';
import type { ForwardTargets } from '../../signals/targets';
import type { Factor, FactorFamily, FactorValues } from '../types';
import { spearman } from './rank-correlation';

export type IcTarget = 'logReturn' | 'realisedVol';

export const FAMILY_TARGET: Readonly<Record<FactorFamily, IcTarget>> = {
  volatility: 'realisedVol',
  vrp: 'realisedVol',
  iv_level: 'realisedVol',
  term_structure: 'realisedVol',
  skew: 'logReturn',
  oi_flow: 'logReturn',
  gamma: 'realisedVol',
  momentum: 'logReturn',
  mean_reversion: 'logReturn',
  calendar: 'realisedVol',
};

export interface WeekIc {
  readonly factor: string;
  readonly target: IcTarget;
  /** null: fewer than 3 usable pairs, or a side that never moved. */
  readonly ic: number | null;
  readonly n: number;
}

/** Each factor's IC over one week's decisions against its family's target. */
export function weekIcs(
  rows: readonly { readonly factors: FactorValues; readonly targets: ForwardTargets }[],
  factors: readonly Factor[],
): WeekIc[] {
  return factors.map((f) => {
    const target = FAMILY_TARGET[f.family];
    const xs = rows.map((r) => r.factors[f.name] ?? null);
    const ys = rows.map((r) => r.targets[target]);
    return {
      factor: f.name,
      target,
      ic: spearman(xs, ys),
      n: xs.filter((x, i) => x !== null && ys[i] !== null).length,
    };
  });
}

/** Least-squares slope of the known ICs per week (negative: fading); null with fewer than 3. */
export function icTrend(ics: readonly (number | null)[]): number | null {
  const pts = ics.flatMap((ic, i) => (ic === null ? [] : [[i, ic] as const]));
  if (pts.length < 3) return null;
  const mx = pts.reduce((a, [x]) => a + x, 0) / pts.length;
  const my = pts.reduce((a, [, y]) => a + y, 0) / pts.length;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of pts) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return sxy / sxx;
}

/** The trading day a week ends on: `date` if it trades, else the one before. */
export const weekEndOn = (date: IsoDate): IsoDate => (isTradingDay(date) ? date : previousTradingDay(date));

/** `count` week ends, oldest first, ending at weekEnd, each a week apart (moved back onto a trading day). */
export function evaluationPeriods(weekEnd: IsoDate, count: number): IsoDate[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`periods: expected a count ≥ 1, got ${count}`);
  const out: IsoDate[] = [];
  for (let k = count - 1; k >= 0; k--) out.push(weekEndOn(addDays(weekEnd, -7 * k)));
  return out;
}
