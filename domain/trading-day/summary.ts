/**
 * Day summary maths: refusals keyed by the wall (or reason) that stopped each decision, the
 * P&L path's maximum drawdown. Money stays decimal.
 */
import { dec, rupees, type Rupees } from '../money';

/** What the loop keeps of a decision (the whole why stays in the decisions table). */
export interface DecisionBrief {
  readonly status: 'trade' | 'abstain' | 'refused';
  readonly reasons: readonly { readonly code: string; readonly source: string }[];
  readonly gates: readonly { readonly wall: string; readonly pass: boolean }[];
}

/** The wall that refused (castle), else the reason's source:code (costs, structure); null unless refused. */
export function refusalKey(d: DecisionBrief): string | null {
  if (d.status !== 'refused') return null;
  const wall = d.gates.find((g) => !g.pass);
  if (wall) return wall.wall;
  const r = d.reasons[0];
  return r ? `${r.source}:${r.code}` : 'unknown';
}

export function countInto(counts: Readonly<Record<string, number>>, key: string): Record<string, number> {
  return { ...counts, [key]: (counts[key] ?? 0) + 1 };
}

/** Largest peak-to-trough fall of a P&L path (≥ 0), the path starting at 0. */
export function maxDrawdown(path: readonly Rupees[]): Rupees {
  let peak = dec(0);
  let worst = dec(0);
  for (const p of path) {
    const v = dec(p);
    if (v.greaterThan(peak)) peak = v;
    const dd = peak.minus(v);
    if (dd.greaterThan(worst)) worst = dd;
  }
  return rupees(worst);
}
