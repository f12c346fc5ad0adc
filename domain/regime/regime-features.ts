/**
 * The detector's probabilities as inputs for the signal modules (REGIME_PROBABILITY_FACTORS):
 * added to a snapshot's factor values before the modules run, and to every dataset row before
 * the modules train, always from a detector that did not train on that row's window.
 */
import type { FactorValues } from '../factors/types';
import { REGIMES } from '../market/types';
import { REGIME_PROBABILITY_FACTORS } from '../signals/contract';
import type { SignalRow } from '../signals/dataset';
import { detectRegime, type RegimeDetection, type RegimeDetectorState } from './detector';

export function withRegimeProbabilities(factors: FactorValues, detection: RegimeDetection): FactorValues {
  const out: Record<string, number | null> = { ...factors };
  for (const r of REGIMES) out[REGIME_PROBABILITY_FACTORS[r]] = detection.probabilities[r];
  return out;
}

/** Every row's factor values with the detector's probabilities added. */
export function addRegimeProbabilities(rows: readonly SignalRow[], detector: RegimeDetectorState): SignalRow[] {
  return rows.map((r) => ({ ...r, factors: withRegimeProbabilities(r.factors, detectRegime(detector, r.factors)) }));
}
