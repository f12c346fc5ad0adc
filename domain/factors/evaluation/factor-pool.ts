/**
 * Promotion and de-promotion of factors on their out-of-sample IC (the seed's weekly loop,
 * without its LLM proposer): pure decisions that the weekly workflow records.
 *
 * The rolling IC is the mean of the last `window` period ICs (periods with no IC are skipped;
 * fewer than `window` known → no change, reason INSUFFICIENT_HISTORY).
 * - A candidate is promoted when |rolling IC| ≥ promoteAt and its t-statistic
 *   (mean / (sd/√n)) is at least minTStat in magnitude; its direction is the sign of the mean,
 *   since a reliably negative IC predicts as well as a positive one.
 * - A production factor is de-promoted (back to candidate, still evaluated) when its rolling IC
 *   in its own direction falls below demoteBelow.
 * promoteAt > demoteBelow gives hysteresis: a factor hovering between them neither churns in
 * nor out.
 */

export type PoolStatus = 'candidate' | 'production';

export interface PoolRule {
  /** Periods (weeks) the rolling IC averages. */
  readonly window: number;
  readonly promoteAt: number;
  readonly minTStat: number;
  readonly demoteBelow: number;
}

export const DEFAULT_POOL_RULE: PoolRule = { window: 8, promoteAt: 0.05, minTStat: 2, demoteBelow: 0.02 };

export interface PoolEntry {
  readonly name: string;
  readonly status: PoolStatus;
  /** +1 / −1 for a production factor (the sign of the IC it was promoted on); null for a candidate. */
  readonly direction: 1 | -1 | null;
}

export type PoolReason =
  'INSUFFICIENT_HISTORY' | 'IC_CLEARS_PROMOTION' | 'IC_BELOW_PROMOTION' | 'IC_HOLDS' | 'IC_DECAYED';

export interface PoolDecision {
  readonly name: string;
  readonly from: PoolStatus;
  readonly to: PoolStatus;
  readonly action: 'promote' | 'demote' | 'keep';
  readonly direction: 1 | -1 | null;
  readonly reason: PoolReason;
  /** Mean IC over the window (signed), null without enough history. */
  readonly rollingIc: number | null;
  readonly tStat: number | null;
  readonly periods: number;
}

export function reviewFactor(
  entry: PoolEntry,
  ics: readonly (number | null)[],
  rule = DEFAULT_POOL_RULE,
): PoolDecision {
  if (!(rule.promoteAt > rule.demoteBelow) || rule.window < 2)
    throw new RangeError('pool rule needs promoteAt > demoteBelow and a window of at least 2');
  const known = ics.filter((x): x is number => x !== null);
  for (const x of known) if (!Number.isFinite(x)) throw new RangeError(`${entry.name}: non-finite IC`);
  const keep = { name: entry.name, from: entry.status, to: entry.status, action: 'keep' as const };
  if (known.length < rule.window)
    return {
      ...keep,
      direction: entry.direction,
      reason: 'INSUFFICIENT_HISTORY',
      rollingIc: null,
      tStat: null,
      periods: known.length,
    };
  const w = known.slice(known.length - rule.window);
  const m = w.reduce((a, x) => a + x, 0) / w.length;
  const sd = Math.sqrt(w.reduce((a, x) => a + (x - m) ** 2, 0) / (w.length - 1));
  // Identical ICs make t unbounded: it counts as clearing minTStat and is reported as null.
  const tStat = sd === 0 ? (m === 0 ? 0 : Math.sign(m) * Infinity) : m / (sd / Math.sqrt(w.length));
  const figures = { rollingIc: m, tStat: Number.isFinite(tStat) ? tStat : null, periods: w.length };
  if (entry.status === 'candidate') {
    if (Math.abs(m) >= rule.promoteAt && Math.abs(tStat) >= rule.minTStat) {
      const direction = m > 0 ? 1 : -1;
      return { ...keep, to: 'production', action: 'promote', direction, reason: 'IC_CLEARS_PROMOTION', ...figures };
    }
    return { ...keep, direction: null, reason: 'IC_BELOW_PROMOTION', ...figures };
  }
  // A production factor never reviewed before (the library's starting pool) takes its IC's sign.
  const direction = entry.direction ?? (m >= 0 ? 1 : -1);
  if (direction * m < rule.demoteBelow)
    return { ...keep, to: 'candidate', action: 'demote', direction: null, reason: 'IC_DECAYED', ...figures };
  return { ...keep, direction, reason: 'IC_HOLDS', ...figures };
}

/** One decision per entry; `ics` maps each factor to its OOS period ICs, oldest first. */
export function reviewPool(
  entries: readonly PoolEntry[],
  ics: ReadonlyMap<string, readonly (number | null)[]>,
  rule = DEFAULT_POOL_RULE,
): PoolDecision[] {
  return entries.map((e) => reviewFactor(e, ics.get(e.name) ?? [], rule));
}
