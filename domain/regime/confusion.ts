/** Scoring a detector against true regimes: the confusion matrix, accuracy and the majority-class baseline. */
import { REGIMES, type Regime } from '../market/types';

/** counts[truth][predicted]. */
export type ConfusionMatrix = Record<Regime, Record<Regime, number>>;

export interface DetectorScore {
  readonly n: number;
  readonly accuracy: number;
  /** Accuracy of always answering the most frequent true regime. */
  readonly majorityBaseline: number;
  readonly majorityRegime: Regime;
  readonly confusion: ConfusionMatrix;
  /** Per regime: share of its rows detected as it (recall). */
  readonly recall: Readonly<Record<Regime, number | null>>;
}

export function scoreDetections(
  pairs: readonly { readonly truth: Regime; readonly predicted: Regime }[],
): DetectorScore {
  if (pairs.length === 0) throw new RangeError('no detections to score');
  const confusion = Object.fromEntries(
    REGIMES.map((t) => [t, Object.fromEntries(REGIMES.map((p) => [p, 0]))]),
  ) as ConfusionMatrix;
  for (const { truth, predicted } of pairs) confusion[truth][predicted]++;
  const totals = REGIMES.map((t) => REGIMES.reduce((a, p) => a + confusion[t][p], 0));
  const majorityIndex = totals.indexOf(Math.max(...totals));
  const correct = REGIMES.reduce((a, r) => a + confusion[r][r], 0);
  return {
    n: pairs.length,
    accuracy: correct / pairs.length,
    majorityBaseline: totals[majorityIndex]! / pairs.length,
    majorityRegime: REGIMES[majorityIndex]!,
    confusion,
    recall: Object.fromEntries(REGIMES.map((r, i) => [r, totals[i] ? confusion[r][r] / totals[i]! : null])) as Record<
      Regime,
      number | null
    >,
  };
}
