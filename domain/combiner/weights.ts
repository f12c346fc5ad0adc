/**
 * Regime-conditional module weights. A module that calls calm markets well may be noise in a
 * panic, so each regime has its own weight per module: the module's out-of-sample skill on that
 * regime's rows of a held-out window (1 − loss / loss of the best constant for those rows, see
 * signals/evaluation: what the module adds beyond knowing the regime), floored at zero — a module
 * no better than that constant in a regime gets no say there. A regime with too few rows
 * falls back to the module's skill over all rows.
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

export interface WeightFit {
  readonly weights: RegimeWeights;
  /** The skill and row count behind each weight. */
  readonly evidence: Readonly<
    Record<Regime, Readonly<Record<SignalModuleName, { skill: number; n: number; pooled: boolean }>>>
  >;
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
  const evidence = {} as Record<Regime, Record<SignalModuleName, { skill: number; n: number; pooled: boolean }>>;
  const pooled = Object.fromEntries(
    SIGNAL_MODULE_NAMES.map((m) => [m, scoreModule(modules[m], states[m], heldOut, { naive: 'rows' })]),
  ) as Record<SignalModuleName, ReturnType<typeof scoreModule>>;
  for (const r of REGIMES) {
    const rows = heldOut.filter((row) => row.regime === r);
    weights[r] = {} as Record<SignalModuleName, number>;
    evidence[r] = {} as Record<SignalModuleName, { skill: number; n: number; pooled: boolean }>;
    for (const m of SIGNAL_MODULE_NAMES) {
      const usePooled = rows.length < minRows;
      const s = usePooled ? pooled[m] : scoreModule(modules[m], states[m], rows, { naive: 'rows' });
      weights[r][m] = Math.max(0, s.skill);
      evidence[r][m] = { skill: s.skill, n: s.n, pooled: usePooled };
    }
  }
  return { weights, evidence };
}
