/**
 * The combiner: one view from the eight module predictions, weighted by regime and by drift, or
 * an abstention when the modules contradict each other.
 *
 * Each module's weight = Σ_regime P(regime)·W[regime][module] (the detector's probabilities, so a
 * borderline regime blends its rows of weights) × its drift multiplier (drift.ts). Views:
 * - direction score D ∈ [−1, 1]: weighted mean of direction (2·P(up) − 1), oi_flow (2·P(up) − 1)
 *   and skew (the expected excursion asymmetry);
 * - vol: weighted geometric mean of three annualised forecasts — realised_vol, gamma_regime's
 *   realised/implied ratio × the vol index, and range converted by Parkinson's E[ln H/L] ≈
 *   √(8/π)·σ√T;
 * - expected move over the horizon: |move| = σ√T·√(2/π) (a normal's mean absolute move), signed
 *   = D·|move|; plus event_risk's shock probability and trend_persistence's path efficiency.
 * The direction score is a weighted mean, so a single module with a sliver of weight would speak
 * for the whole view: below a minimum total direction weight there is no direction view (flat,
 * D = 0) — the vol view alone still serves direction-neutral structures.
 * The consistency gate abstains — with a reason code and its numbers — when the direction
 * modules pull both ways (the smaller side's weighted conviction is a large share of the larger
 * side's), when the vol forecasts are too far apart, or when no vol module is usable.
 */
import { SESSION_MINUTES } from '../calendar';
import type { FactorValues } from '../factors/types';
import { REGIMES, type Regime } from '../market/types';
import type { SignalModuleName, SignalPrediction } from '../signals/contract';
import type { ModuleDrift } from './drift';
import type { RegimeWeights } from './weights';

export interface GateThresholds {
  /** Abstain when min(up, down) / max(up, down) of weighted conviction exceeds this … */
  readonly maxDirectionDisagreement: number;
  /** … and the smaller side's conviction (weighted mean |score| on that side) is at least this. */
  readonly minOpposingConviction: number;
  /** Abstain when the largest vol forecast over the smallest exceeds this. */
  readonly maxVolRatio: number;
  /** |D| below this is called flat. */
  readonly flatBand: number;
  /** Less total weight than this on the direction modules: no direction view (flat, D = 0). */
  readonly minDirectionWeight: number;
}

export const DEFAULT_GATE: GateThresholds = {
  maxDirectionDisagreement: 0.6,
  minOpposingConviction: 0.05,
  maxVolRatio: 1.6,
  flatBand: 0.02,
  minDirectionWeight: 0.05,
};

export const ABSTAIN_REASONS = ['DIRECTION_DISAGREEMENT', 'VOL_DISAGREEMENT', 'NO_USABLE_MODULES'] as const;
export type AbstainReason = (typeof ABSTAIN_REASONS)[number];

export interface ModuleWeightUsed {
  readonly module: SignalModuleName;
  /** Σ P(regime)·W[regime][module]. */
  readonly regimeWeight: number;
  readonly driftMultiplier: number;
  readonly psi: number | null;
  readonly weight: number;
}

export interface CombinedView {
  readonly horizonMinutes: number;
  readonly direction: 'up' | 'down' | 'flat';
  readonly directionScore: number;
  /** Total weight behind the direction score (below the gate's minimum: no direction view). */
  readonly directionWeight: number;
  /** Fractions of spot over the horizon. */
  readonly expectedMove: { readonly absolute: number; readonly signed: number };
  /** Annualised vol over the horizon: the combined forecast and realised_vol's conformal interval. */
  readonly vol: { readonly forecast: number; readonly lower: number | null; readonly upper: number | null };
  readonly shockProbability: number | null;
  readonly trendPersistence: number | null;
  /** |D| × (1 − disagreement) × the share of regime weight left after drift; 0 … 1. */
  readonly confidence: number;
}

export type CombinerResult =
  | {
      readonly outcome: 'view';
      readonly regime: Regime;
      readonly view: CombinedView;
      readonly weights: readonly ModuleWeightUsed[];
    }
  | {
      readonly outcome: 'abstain';
      readonly regime: Regime;
      readonly reason: AbstainReason;
      readonly detail: Readonly<Record<string, number | string>>;
      readonly weights: readonly ModuleWeightUsed[];
    };

export interface CombineInput {
  readonly weights: RegimeWeights;
  /** The detected regime, or its probabilities (weights blend across regimes). */
  readonly regime: Regime | { readonly regime: Regime; readonly probabilities: Readonly<Record<Regime, number>> };
  readonly predictions: readonly SignalPrediction[];
  /** The decision's factor values (the vol index turns gamma_regime's ratio into a vol). */
  readonly factors: FactorValues;
  /** Per module drift (drift.ts); a module without one counts as stable. */
  readonly drift?: Readonly<Partial<Record<SignalModuleName, ModuleDrift>>>;
  readonly gate?: GateThresholds;
}

const DIRECTION_MODULES: readonly SignalModuleName[] = ['direction', 'oi_flow', 'skew'];
const VOL_MODULES: readonly SignalModuleName[] = ['realised_vol', 'gamma_regime', 'range'];

const binP = (p: SignalPrediction, label: string) =>
  p.distribution.kind === 'bins' ? (p.distribution.bins.find((b) => b.label === label)?.p ?? null) : null;
const mean = (p: SignalPrediction) => (p.distribution.kind === 'quantiles' ? p.distribution.mean : null);

/** The module's direction score in [−1, 1], null when it has none. */
function directionScore(p: SignalPrediction): number | null {
  if (p.module === 'skew') return mean(p);
  const up = binP(p, 'up');
  return up === null ? null : 2 * up - 1;
}

/** The module's annualised vol forecast, null when it has none. */
function volForecast(p: SignalPrediction, factors: FactorValues): number | null {
  const m = mean(p);
  if (m === null) return null;
  const years = p.horizonMinutes / (SESSION_MINUTES * 252);
  if (p.module === 'realised_vol') return m;
  if (p.module === 'gamma_regime') return factors.vol_index ? m * factors.vol_index : null;
  if (p.module === 'range') return m / (Math.sqrt(8 / Math.PI) * Math.sqrt(years));
  return null;
}

export function combineSignals(input: CombineInput): CombinerResult {
  const gate = input.gate ?? DEFAULT_GATE;
  const probs: Record<Regime, number> =
    typeof input.regime === 'string'
      ? (Object.fromEntries(REGIMES.map((r) => [r, r === input.regime ? 1 : 0])) as Record<Regime, number>)
      : { ...input.regime.probabilities };
  const regime = typeof input.regime === 'string' ? input.regime : input.regime.regime;
  const byModule = new Map(input.predictions.map((p) => [p.module, p]));
  const weights: ModuleWeightUsed[] = input.predictions.map((p) => {
    const regimeWeight = REGIMES.reduce((a, r) => a + probs[r] * (input.weights[r][p.module] ?? 0), 0);
    const drift = input.drift?.[p.module];
    const driftMultiplier = drift?.multiplier ?? 1;
    return {
      module: p.module,
      regimeWeight,
      driftMultiplier,
      psi: drift?.psi ?? null,
      weight: regimeWeight * driftMultiplier,
    };
  });
  const w = (m: SignalModuleName) => weights.find((x) => x.module === m)?.weight ?? 0;
  const abstain = (reason: AbstainReason, detail: Record<string, number | string>): CombinerResult => ({
    outcome: 'abstain',
    regime,
    reason,
    detail,
    weights,
  });

  const dir = DIRECTION_MODULES.flatMap((m) => {
    const p = byModule.get(m);
    const s = p ? directionScore(p) : null;
    return s === null || w(m) <= 0 ? [] : [{ m, s, w: w(m) }];
  });
  const vols = VOL_MODULES.flatMap((m) => {
    const p = byModule.get(m);
    const v = p ? volForecast(p, input.factors) : null;
    return v === null || !(v > 0) || w(m) <= 0 ? [] : [{ m, v, w: w(m) }];
  });
  if (vols.length === 0) return abstain('NO_USABLE_MODULES', { directionModules: dir.length, volModules: 0 });

  const wDir = dir.reduce((a, d) => a + d.w, 0);
  const hasDirection = wDir >= gate.minDirectionWeight;
  const upMass = hasDirection ? dir.reduce((a, d) => a + d.w * Math.max(0, d.s), 0) / wDir : 0;
  const downMass = hasDirection ? dir.reduce((a, d) => a + d.w * Math.max(0, -d.s), 0) / wDir : 0;
  const disagreement = Math.max(upMass, downMass) > 0 ? Math.min(upMass, downMass) / Math.max(upMass, downMass) : 0;
  if (disagreement > gate.maxDirectionDisagreement && Math.min(upMass, downMass) >= gate.minOpposingConviction)
    return abstain('DIRECTION_DISAGREEMENT', {
      upConviction: upMass,
      downConviction: downMass,
      disagreement,
      maxDirectionDisagreement: gate.maxDirectionDisagreement,
      minOpposingConviction: gate.minOpposingConviction,
    });

  const volHigh = Math.max(...vols.map((v) => v.v));
  const volLow = Math.min(...vols.map((v) => v.v));
  if (volHigh / volLow > gate.maxVolRatio)
    return abstain('VOL_DISAGREEMENT', {
      volHigh,
      volLow,
      volRatio: volHigh / volLow,
      maxVolRatio: gate.maxVolRatio,
      highModule: vols.find((v) => v.v === volHigh)!.m,
      lowModule: vols.find((v) => v.v === volLow)!.m,
    });

  const D = upMass - downMass;
  const wVol = vols.reduce((a, v) => a + v.w, 0);
  const vol = Math.exp(vols.reduce((a, v) => a + v.w * Math.log(v.v), 0) / wVol);
  const horizon = byModule.get(vols[0]!.m)!.horizonMinutes;
  const absolute = vol * Math.sqrt(horizon / (SESSION_MINUTES * 252)) * Math.sqrt(2 / Math.PI);
  const rv = byModule.get('realised_vol');
  const rvInterval = rv?.interval.kind === 'range' ? rv.interval : null;
  const shock = byModule.get('event_risk');
  const persistence = byModule.get('trend_persistence');
  const totalRegime = weights.reduce((a, x) => a + x.regimeWeight, 0);
  const totalUsed = weights.reduce((a, x) => a + x.weight, 0);
  const confidence = Math.min(1, Math.abs(D) * (1 - disagreement) * (totalRegime > 0 ? totalUsed / totalRegime : 0));
  return {
    outcome: 'view',
    regime,
    weights,
    view: {
      horizonMinutes: horizon,
      direction: Math.abs(D) < gate.flatBand ? 'flat' : D > 0 ? 'up' : 'down',
      directionScore: D,
      directionWeight: wDir,
      expectedMove: { absolute, signed: D * absolute },
      vol: { forecast: vol, lower: rvInterval?.lower ?? null, upper: rvInterval?.upper ?? null },
      shockProbability: shock ? binP(shock, 'shock') : null,
      trendPersistence: persistence ? mean(persistence) : null,
      confidence,
    },
  };
}
