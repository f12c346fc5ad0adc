/**
 * The regime detector against the simulator's true regimes: 24 simulated runs (22 warm-up days,
 * 5 sampled days, 3 decisions a day) split four ways by seed; each fold trains on 18 runs and
 * detects on the 6 it never saw, and the scores pool the four folds.
 */
import { FACTORS } from '../factors/registry';
import { REGIMES } from '../market/types';
import { buildSignalDataset, type SignalRow } from '../signals/dataset';
import { scoreDetections, type DetectorScore } from './confusion';
import { detectRegime, trainRegimeDetector, type RegimeDetectorState } from './detector';
import { REGIME_FACTORS } from './jump-factor';

const SEEDS = Array.from({ length: 24 }, (_, i) => 9101 + i);
const FOLDS = 4;

let rows: SignalRow[] = [];
let score: DetectorScore;
let lastDetector: RegimeDetectorState;

beforeAll(() => {
  rows = buildSignalDataset({
    instrument: 'NIFTY',
    fromDate: '2026-06-01',
    seeds: SEEDS,
    warmupDays: 22,
    sampleDays: 5,
    decisionTimes: ['10:30', '12:30', '14:30'],
    chain: { strikesEachSide: 14 },
    factors: [...FACTORS, ...REGIME_FACTORS],
  });
  const pairs: { truth: SignalRow['regime']; predicted: SignalRow['regime'] }[] = [];
  for (let k = 0; k < FOLDS; k++) {
    const unseen = new Set(SEEDS.filter((_, i) => i % FOLDS === k));
    lastDetector = trainRegimeDetector(rows.filter((r) => !unseen.has(r.seed)));
    for (const r of rows.filter((x) => unseen.has(x.seed)))
      pairs.push({ truth: r.regime, predicted: detectRegime(lastDetector, r.factors).regime });
  }
  score = scoreDetections(pairs);
}, 300_000);

describe('the regime detector on runs it never saw', () => {
  it('beats the majority-class baseline clearly', () => {
    expect(score.n).toBe(360);
    expect(score.accuracy).toBeGreaterThan(0.8);
    expect(score.accuracy - score.majorityBaseline).toBeGreaterThan(0.3);
  });

  it('recognises each regime, not just the common ones (recall per regime from the confusion matrix)', () => {
    for (const r of REGIMES) expect({ r, recall: score.recall[r]! > 0.7 }).toEqual({ r, recall: true });
    // Calm and panic are never confused with each other: trending sits between them.
    expect(score.confusion.calm.panic + score.confusion.panic.calm).toBeLessThanOrEqual(2);
    const total = REGIMES.reduce((a, t) => a + REGIMES.reduce((b, p) => b + score.confusion[t][p], 0), 0);
    expect(total).toBe(score.n);
  });

  it('is a plain JSON state that gives the same probabilities after a round trip', () => {
    const factors = rows[0]!.factors;
    const copy = JSON.parse(JSON.stringify(lastDetector)) as RegimeDetectorState;
    const a = detectRegime(lastDetector, factors);
    expect(detectRegime(copy, factors)).toEqual(a);
    expect(REGIMES.reduce((s, r) => s + a.probabilities[r], 0)).toBeCloseTo(1, 12);
  });
});

describe('scoring detections', () => {
  it('counts the confusion matrix, accuracy, recall and the majority baseline', () => {
    const s = scoreDetections([
      { truth: 'calm', predicted: 'calm' },
      { truth: 'calm', predicted: 'trending' },
      { truth: 'calm', predicted: 'calm' },
      { truth: 'trending', predicted: 'trending' },
      { truth: 'panic', predicted: 'trending' },
    ]);
    expect(s.confusion.calm).toEqual({ calm: 2, trending: 1, panic: 0 });
    expect(s.confusion.panic).toEqual({ calm: 0, trending: 1, panic: 0 });
    expect(s.accuracy).toBeCloseTo(3 / 5, 15);
    expect(s).toMatchObject({ majorityBaseline: 3 / 5, majorityRegime: 'calm' });
    expect(s.recall).toEqual({ calm: 2 / 3, trending: 1, panic: 0 });
  });
});
