/**
 * Regime-conditional module weights. A module that calls calm markets well may be noise in a
 * panic, so each regime has its own weight per module: the rank IC of the module's point forecast
 * with what followed, on that regime's rows of a held-out window (the calibration window, never
 * the training one), less one standard error (1/√n) and floored at zero — a module that does not
 * clearly rank outcomes within a regime gets no say there (held-out rows come in runs of
 * correlated decisions, so a small IC is easily luck). Rank IC rather than a loss ratio: it asks
 * whether the module orders outcomes within the regime, which a level bias (fixed by conformal
 * calibration, not by weighting) does not change. A regime with too few rows falls back to the
 * module's IC over all rows.
 */
import { REGIMES, type Regime } from '../market/types';
import { SIGNAL_MODULE_NAMES, type SignalModule, type SignalModuleName, type SignalState } from '../signals/contract';
import type { SignalRow } from '../signals/dataset';
import { scoreModule } from '../signals/evaluation';

export type ModuleWeights = Readonly<Record<SignalModuleName, number>>;
export type RegimeWeights = Readonly<Record<Regime, ModuleWeights>>;

export function equalWeights(weight = 1): RegimeWeights {
  const w = Object.fromEntries(SIGNAL_MODULE_NAMES.map((m) => [m, weight])) as Record<SignalModuleName, number>;
  return Object.fromEntries(REGIMES.map((r) => [r, { ...w }])) as Record<Regime, ModuleWeights>;
}

export interface WeightEvidence {
  /** Rank IC on the held-out rows; null when undefined (constant forecast or target). */
  readonly ic: number | null;
  /** 1 − loss / loss of the rows' own mean (signals/evaluation, naive 'rows'). */
  readonly skill: number;
  readonly n: number;
  readonly pooled: boolean;
}

export interface WeightFit {
  readonly weights: RegimeWeights;
  /** The figures and row count behind each weight. */
  readonly evidence: Readonly<Record<Regime, Readonly<Record<SignalModuleName, WeightEvidence>>>>;
}

/** Rows with fewer than this many of a regime use the module's pooled skill. */
export const MIN_REGIME_ROWS = 40;

export function fitRegimeWeights(
  modules: Readonly<Record<SignalModuleName, SignalModule>>,
  states: Readonly<Record<SignalModuleName, SignalState>>,
  heldOut: readonly SignalRow[],
  minRows = MIN_REGIME_ROWS,
): WeightFit {
  const weights = {} as Record<Regime, Record<SignalModuleName, number>>;
  const evidence = {} as Record<Regime, Record<SignalModuleName, WeightEvidence>>;
  const pooled = Object.fromEntries(
    SIGNAL_MODULE_NAMES.map((m) => [m, scoreModule(modules[m], states[m], heldOut, { naive: 'rows' })]),
  ) as Record<SignalModuleName, ReturnType<typeof scoreModule>>;
  for (const r of REGIMES) {
    const rows = heldOut.filter((row) => row.regime === r);
    weights[r] = {} as Record<SignalModuleName, number>;
    evidence[r] = {} as Record<SignalModuleName, WeightEvidence>;
    for (const m of SIGNAL_MODULE_NAMES) {
      const usePooled = rows.length < minRows;
      const s = usePooled ? pooled[m] : scoreModule(modules[m], states[m], rows, { naive: 'rows' });
      weights[r][m] = Math.max(0, (s.ic ?? 0) - 1 / Math.sqrt(s.n));
      evidence[r][m] = { ic: s.ic, skill: s.skill, n: s.n, pooled: usePooled };
    }
  }
  return { weights, evidence };
}
