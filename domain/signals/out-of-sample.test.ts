/**
 * The signal modules scored out of sample against the simulator's facts. 36 simulated runs
 * (22 warm-up days, then 10 sampled days with 5 decisions a day) are split six ways by seed: each
 * fold trains the whole stack (regime detector, eight modules, combiner) on 30 runs — fitting on
 * their first 6 sampled days, calibrating on the last 4 — and is scored on the 6 runs it never
 * saw. Every figure pools the six folds, so each row is scored exactly once, by a model that
 * never saw its run.
 */
import { trainSignalStack, stackView, type SignalStack } from '../combiner/signal-stack';
import { FACTORS } from '../factors/registry';
import { spearman } from '../factors/evaluation/rank-correlation';
import type { Regime } from '../market/types';
import { addRegimeProbabilities } from '../regime/regime-features';
import { REGIME_FACTORS } from '../regime/jump-factor';
import { SIGNAL_MODULE_NAMES, type SignalModuleName } from './contract';
import { buildSignalDataset, type SignalRow } from './dataset';
import { scoredRows, summariseScores, type ModuleScore, type ScoredRow } from './evaluation';
import { SIGNAL_MODULES } from './registry';

const SEEDS = Array.from({ length: 36 }, (_, i) => 7001 + i);
const FOLDS = 6;

interface Scored {
  readonly row: SignalRow;
  readonly stack: SignalStack;
  /** The row's factor values with the fold detector's regime probabilities. */
  readonly inputs: SignalRow['factors'];
}

let scored: Scored[] = [];
const pooled = {} as Record<SignalModuleName, ScoredRow[]>;
const score = (m: SignalModuleName): ModuleScore => summariseScores(SIGNAL_MODULES[m], pooled[m]);

beforeAll(() => {
  const rows = buildSignalDataset({
    instrument: 'NIFTY',
    fromDate: '2026-01-05',
    seeds: SEEDS,
    warmupDays: 22,
    sampleDays: 10,
    trainDays: 6,
    calibrationDays: 4,
    decisionTimes: ['10:00', '11:00', '12:00', '13:00', '14:00'],
    // A narrower chain than the decision default, for speed: train and score use the same one.
    chain: { strikesEachSide: 14 },
    factors: [...FACTORS, ...REGIME_FACTORS],
  });
  for (const m of SIGNAL_MODULE_NAMES) pooled[m] = [];
  scored = [];
  for (let k = 0; k < FOLDS; k++) {
    const unseen = new Set(SEEDS.filter((_, i) => i % FOLDS === k));
    const stack = trainSignalStack(rows.filter((r) => !unseen.has(r.seed)));
    const test = rows.filter((r) => unseen.has(r.seed)).map((r) => ({ ...r, split: 'test' as const }));
    const withProbabilities = addRegimeProbabilities(test, stack.detector);
    for (const m of SIGNAL_MODULE_NAMES)
      pooled[m].push(...scoredRows(SIGNAL_MODULES[m], stack.signals[m], withProbabilities));
    withProbabilities.forEach((r, i) => scored.push({ row: test[i]!, stack, inputs: r.factors }));
  }
}, 300_000);

describe('split-conformal intervals out of sample', () => {
  it('nominal 90 % covers 87–93 % of what followed, for every module, on runs the models never saw', () => {
    for (const m of SIGNAL_MODULE_NAMES) {
      const { coverage, n } = score(m);
      expect({ m, n, ok: coverage >= 0.87 && coverage <= 0.93 }).toEqual({ m, n: 1800, ok: true });
    }
  });
});

describe('signals find the simulator’s facts out of sample', () => {
  const byRegime = (regime: Regime) => scored.filter((s) => s.row.regime === regime);
  const logRv = (s: Scored) => Math.log(s.row.targets.realisedVol);

  it('the realised-vol forecast beats a naive constant, and persistence of today’s vol or the vol index', () => {
    const rv = score('realised_vol');
    expect(rv.skill).toBeGreaterThan(0.5); // MSE of ln RV at most half the training mean's
    const mse = (forecast: (s: Scored) => number | null) => {
      const e = scored.map((s) => ({ f: forecast(s), y: logRv(s) })).filter((x) => x.f !== null);
      return e.reduce((a, x) => a + (x.y - x.f!) ** 2, 0) / e.length;
    };
    const model = mse((s) => SIGNAL_MODULES.realised_vol.point(s.stack.signals.realised_vol, s.inputs));
    const log = (v: number | null | undefined) => (v ? Math.log(v) : null);
    expect(model).toBeLessThan(0.75 * mse((s) => log(s.row.factors.rv_intraday)));
    expect(model).toBeLessThan(0.75 * mse((s) => log(s.row.factors.vol_index)));
  });

  it('direction ranks forward returns on trending days (momentum) and on calm ones (reversion)', () => {
    const ic = (regime: Regime) => {
      const rows = byRegime(regime);
      return spearman(
        rows.map((s) => SIGNAL_MODULES.direction.point(s.stack.signals.direction, s.inputs)),
        rows.map((s) => s.row.targets.logReturn),
      )!;
    };
    expect(ic('trending')).toBeGreaterThan(0.15);
    expect(ic('calm')).toBeGreaterThan(0.05);
    expect(score('direction').ic).toBeGreaterThan(0.15);
  });

  it('every module with a fact to find beats its naive forecast; OI flow, with none in the simulator, does not', () => {
    for (const m of SIGNAL_MODULE_NAMES.filter((x) => x !== 'oi_flow'))
      expect({ m, better: score(m).skill > 0 }).toEqual({ m, better: true });
    // The simulator's OI is a function of moneyness alone: a positive score here would mean a leak.
    expect(score('oi_flow').skill).toBeLessThan(0.01);
  });

  it('the combined view ranks forward returns and forward vol on unseen runs', () => {
    const views = scored.map((s) => ({ s, v: stackView(s.stack, s.row.factors).result }));
    const used = views.flatMap(({ s, v }) => (v.outcome === 'view' ? [{ s, view: v.view }] : []));
    expect(used.length).toBeGreaterThan(0.9 * views.length);
    const dirIc = spearman(
      used.map((u) => u.view.directionScore),
      used.map((u) => u.s.row.targets.logReturn),
    )!;
    const volIc = spearman(
      used.map((u) => u.view.vol.forecast),
      used.map((u) => u.s.row.targets.realisedVol),
    )!;
    expect(dirIc).toBeGreaterThan(0.1);
    expect(volIc).toBeGreaterThan(0.6);
  });

  it('a trained stack is plain JSON: read back, it gives the same view', () => {
    const { stack, row } = scored[0]!;
    const copy = JSON.parse(JSON.stringify(stack)) as SignalStack;
    expect(stackView(copy, row.factors)).toEqual(stackView(stack, row.factors));
  });
});
