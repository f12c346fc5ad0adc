import type { Regime } from '../market/types';
import type { SignalModuleName, SignalPrediction } from '../signals/contract';
import { combineSignals, DEFAULT_GATE, type CombineInput } from './combine';
import type { ModuleDrift } from './drift';
import { equalWeights, type RegimeWeights } from './weights';

const H = 60;
const YEARS = H / (375 * 252);

function bins(module: SignalModuleName, pUp: number, labels: [string, string] = ['down', 'up']): SignalPrediction {
  return {
    module,
    horizonMinutes: H,
    target: 'test',
    distribution: {
      kind: 'bins',
      bins: [
        { label: labels[0], p: 1 - pUp },
        { label: labels[1], p: pUp },
      ],
    },
    interval: { kind: 'set', labels, coverage: 0.9 },
  };
}

function quantity(module: SignalModuleName, mean: number): SignalPrediction {
  return {
    module,
    horizonMinutes: H,
    target: 'test',
    distribution: { kind: 'quantiles', mean, quantiles: [] },
    interval: { kind: 'range', lower: mean * 0.8, upper: mean * 1.25, coverage: 0.9 },
  };
}

/** Parkinson's E[ln H/L] for an annualised vol over the horizon. */
const rangeFor = (vol: number) => vol * Math.sqrt(8 / Math.PI) * Math.sqrt(YEARS);

/** Eight predictions that agree: up, vol 12 % from every vol module (vol index 15 %). */
function agreeing(overrides: Partial<Record<SignalModuleName, SignalPrediction>> = {}): SignalPrediction[] {
  const base: Record<SignalModuleName, SignalPrediction> = {
    direction: bins('direction', 0.62),
    oi_flow: bins('oi_flow', 0.55),
    skew: quantity('skew', 0.1),
    realised_vol: quantity('realised_vol', 0.12),
    gamma_regime: quantity('gamma_regime', 0.8),
    range: quantity('range', rangeFor(0.12)),
    event_risk: bins('event_risk', 0.07, ['quiet', 'shock']),
    trend_persistence: quantity('trend_persistence', 0.2),
  };
  return Object.values({ ...base, ...overrides });
}

const factors = { vol_index: 0.15 };

function weightsWith(perRegime: Partial<Record<Regime, Partial<Record<SignalModuleName, number>>>>): RegimeWeights {
  const w = equalWeights();
  return {
    calm: { ...w.calm, ...perRegime.calm },
    trending: { ...w.trending, ...perRegime.trending },
    panic: { ...w.panic, ...perRegime.panic },
  };
}

const run = (input: Partial<CombineInput>) =>
  combineSignals({ weights: equalWeights(), regime: 'calm', predictions: agreeing(), factors, ...input });

describe('the combined view', () => {
  it('agreeing modules give a view: direction, move, vol, shock risk, confidence, the weights used', () => {
    const r = run({});
    if (r.outcome !== 'view') throw new Error(`abstained: ${r.reason}`);
    // D = mean of 2·0.62 − 1, 2·0.55 − 1 and 0.1 with equal weights.
    const D = (0.24 + 0.1 + 0.1) / 3;
    expect(r.view.directionScore).toBeCloseTo(D, 12);
    expect(r.view.direction).toBe('up');
    expect(r.view.vol.forecast).toBeCloseTo(0.12, 12);
    expect(r.view.vol).toMatchObject({ lower: 0.096, upper: 0.15 });
    const move = 0.12 * Math.sqrt(YEARS) * Math.sqrt(2 / Math.PI);
    expect(r.view.expectedMove.absolute).toBeCloseTo(move, 12);
    expect(r.view.expectedMove.signed).toBeCloseTo(D * move, 12);
    expect(r.view.shockProbability).toBeCloseTo(0.07, 12);
    expect(r.view.trendPersistence).toBe(0.2);
    expect(r.view.confidence).toBeCloseTo(D, 12); // no disagreement, no drift
    expect(r.weights).toHaveLength(8);
    expect(r.weights.every((w) => w.weight === 1 && w.driftMultiplier === 1)).toBe(true);
  });
});

describe('regime-conditional weights', () => {
  // Direction calls calm markets, OI flow trending ones; they disagree on this decision.
  const weights = weightsWith({
    calm: { direction: 1, oi_flow: 0, skew: 0 },
    trending: { direction: 0, oi_flow: 1, skew: 0 },
  });
  const predictions = agreeing({ direction: bins('direction', 0.7), oi_flow: bins('oi_flow', 0.3) });

  it('follow the detected regime', () => {
    const calm = run({ weights, predictions, regime: 'calm' });
    const trending = run({ weights, predictions, regime: 'trending' });
    expect(calm.outcome === 'view' && calm.view.direction).toBe('up');
    expect(trending.outcome === 'view' && trending.view.direction).toBe('down');
    expect(calm.outcome === 'view' && calm.view.directionScore).toBeCloseTo(0.4, 12);
    expect(trending.outcome === 'view' && trending.view.directionScore).toBeCloseTo(-0.4, 12);
    expect(calm.weights.find((w) => w.module === 'oi_flow')!.weight).toBe(0);
    expect(trending.weights.find((w) => w.module === 'direction')!.weight).toBe(0);
  });

  it('blend by the detector’s probabilities: a borderline regime hears both, and here they disagree', () => {
    const r = run({
      weights,
      predictions,
      regime: { regime: 'calm', probabilities: { calm: 0.5, trending: 0.5, panic: 0 } },
    });
    expect(r.weights.find((w) => w.module === 'direction')!.regimeWeight).toBe(0.5);
    expect(r.weights.find((w) => w.module === 'oi_flow')!.regimeWeight).toBe(0.5);
    expect(r).toMatchObject({ outcome: 'abstain', reason: 'DIRECTION_DISAGREEMENT' });
  });
});

describe('drift penalty', () => {
  const drifted = (multiplier: number, psi: number): ModuleDrift => ({
    psi,
    worstFactor: 'mom_30m',
    band: multiplier === 1 ? 'stable' : multiplier > 0 ? 'moderate' : 'major',
    multiplier,
    factors: [],
  });
  const predictions = agreeing({ direction: bins('direction', 0.8), oi_flow: bins('oi_flow', 0.6) });

  it('scales a module’s weight by its drift multiplier and reports the PSI', () => {
    const r = run({ predictions, drift: { direction: drifted(0.5, 0.18) } });
    const w = r.weights.find((x) => x.module === 'direction')!;
    expect(w).toEqual({ module: 'direction', regimeWeight: 1, driftMultiplier: 0.5, psi: 0.18, weight: 0.5 });
    if (r.outcome !== 'view') throw new Error('abstained');
    // (0.5·0.6 + 1·0.2 + 1·0.1) / 2.5
    expect(r.view.directionScore).toBeCloseTo(0.6 / 2.5, 12);
    // Confidence falls with the weight drift took away: 7.5 of 8.
    expect(r.view.confidence).toBeCloseTo((0.6 / 2.5) * (7.5 / 8), 12);
  });

  it('a module past the major band keeps a fifth of its say', () => {
    const r = run({ predictions, drift: { direction: drifted(0.2, 0.4) } });
    if (r.outcome !== 'view') throw new Error('abstained');
    expect(r.view.directionScore).toBeCloseTo((0.2 * 0.6 + 0.2 + 0.1) / 2.2, 12);
  });

  it('a module with no weight at all (zero in its regime) has no say', () => {
    const r = run({ predictions, weights: weightsWith({ calm: { direction: 0 } }) });
    if (r.outcome !== 'view') throw new Error('abstained');
    expect(r.view.directionScore).toBeCloseTo((0.2 + 0.1) / 2, 12);
  });
});

describe('the internal-consistency gate abstains with a reason and its numbers', () => {
  it('when the direction modules pull both ways with conviction', () => {
    const r = run({ predictions: agreeing({ direction: bins('direction', 0.8), oi_flow: bins('oi_flow', 0.1) }) });
    // Up: (0.6 + 0.1) / 3; down: 0.8 / 3 → disagreement = 0.7 / 0.8.
    expect(r).toMatchObject({ outcome: 'abstain', reason: 'DIRECTION_DISAGREEMENT' });
    if (r.outcome !== 'abstain') return;
    expect(r.detail.upConviction).toBeCloseTo(0.7 / 3, 12);
    expect(r.detail.downConviction).toBeCloseTo(0.8 / 3, 12);
    expect(r.detail.disagreement).toBeCloseTo(0.875, 12);
    expect(r.detail.maxDirectionDisagreement).toBe(DEFAULT_GATE.maxDirectionDisagreement);
  });

  it('but not over a faint dissent', () => {
    const r = run({ predictions: agreeing({ direction: bins('direction', 0.8), oi_flow: bins('oi_flow', 0.45) }) });
    expect(r.outcome).toBe('view');
  });

  it('when the vol forecasts are too far apart', () => {
    // gamma_regime: realised 2.4 × the 15 % vol index = 36 % against realised_vol's 12 %.
    const r = run({ predictions: agreeing({ gamma_regime: quantity('gamma_regime', 2.4) }) });
    expect(r).toMatchObject({
      outcome: 'abstain',
      reason: 'VOL_DISAGREEMENT',
      detail: { highModule: 'gamma_regime', lowModule: 'realised_vol', maxVolRatio: DEFAULT_GATE.maxVolRatio },
    });
    if (r.outcome === 'abstain') expect(r.detail.volRatio).toBeCloseTo(3, 12);
  });

  it('when no vol module is left to form a view', () => {
    const none = weightsWith({ calm: { realised_vol: 0, gamma_regime: 0, range: 0 } });
    expect(run({ weights: none })).toMatchObject({
      outcome: 'abstain',
      reason: 'NO_USABLE_MODULES',
      detail: { directionModules: 3, volModules: 0 },
    });
  });

  it('but without direction modules the view is flat, not an abstention', () => {
    const sliver = weightsWith({ calm: { direction: 0, oi_flow: 0.01, skew: 0.01 } });
    const r = run({ weights: sliver, predictions: agreeing({ oi_flow: bins('oi_flow', 0.9) }) });
    expect(r).toMatchObject({ outcome: 'view', view: { direction: 'flat', directionScore: 0, directionWeight: 0.02 } });
  });
});
