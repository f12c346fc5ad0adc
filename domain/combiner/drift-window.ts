/**
 * The drift monitor's current window: the latest decisions' factor values, oldest first, at most
 * `size` of them. Each factor's counts in a reference's bins are kept as rows enter and leave, so
 * a decision's PSI costs a few operations per bin instead of a pass over the whole window (which
 * was most of decide's domain time). The counts are exactly those of a pass: the PSI is the same
 * number to the last bit.
 */
import type { FactorValues } from '../factors/types';
import { binOf, type DriftReference } from './drift';

interface Tally {
  /** The reference's edges the counts are for (a new model brings new edges: counted afresh). */
  readonly edges: readonly number[];
  readonly counts: number[];
  missing: number;
}

export class DriftWindow {
  private rows: FactorValues[] = [];
  private readonly tallies = new Map<string, Tally>();

  constructor(readonly size: number) {}

  /** A window of these rows (oldest first), no longer than `size`. */
  static of(rows: readonly FactorValues[], size = rows.length): DriftWindow {
    const w = new DriftWindow(size);
    w.push(rows);
    return w;
  }

  get length(): number {
    return this.rows.length;
  }

  /** The rows, oldest first. */
  values(): readonly FactorValues[] {
    return this.rows;
  }

  /** Appends rows (oldest first); the oldest beyond `size` leave. */
  push(fresh: readonly FactorValues[]): void {
    for (const row of fresh) {
      this.rows.push(row);
      this.count(row, 1);
    }
    const over = this.rows.length - this.size;
    if (over > 0) for (const row of this.rows.splice(0, over)) this.count(row, -1);
  }

  /** Each bin's share of the factor's values in the window (in the reference's bins), and the missing share. */
  shares(factor: string, reference: DriftReference): { shares: number[]; missing: number } {
    let t = this.tallies.get(factor);
    if (!t || t.edges !== reference.edges) {
      t = { edges: reference.edges, counts: new Array<number>(reference.edges.length + 1).fill(0), missing: 0 };
      for (const row of this.rows) tally(t, row[factor] ?? null, 1);
      this.tallies.set(factor, t);
    }
    const n = this.rows.length || 1;
    return { shares: t.counts.map((c) => c / n), missing: t.missing / n };
  }

  private count(row: FactorValues, by: 1 | -1): void {
    for (const [factor, t] of this.tallies) tally(t, row[factor] ?? null, by);
  }
}

function tally(t: Tally, v: number | null, by: 1 | -1): void {
  if (v === null) t.missing += by;
  else t.counts[binOf(t.edges, v)]! += by;
}
