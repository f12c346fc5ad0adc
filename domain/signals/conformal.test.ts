import { Rng } from '../random';
import {
  calibrateClassification,
  calibrateRegression,
  conformalQuantile,
  conformalRank,
  predictionSet,
  predictiveExceedance,
  predictiveQuantile,
  regressionInterval,
} from './conformal';

describe('the finite-sample conformal quantile', () => {
  it('is the ⌈(n + 1)(1 − α)⌉-th smallest score', () => {
    expect(conformalRank(9, 0.1)).toBe(9);
    expect(conformalRank(19, 0.1)).toBe(18);
    expect(conformalRank(99, 0.1)).toBe(90);
    expect(conformalRank(100, 0.1)).toBe(91);
    expect(conformalRank(20, 0.2)).toBe(17);
    const scores = [5, 1, 9, 3, 7, 2, 8, 4, 6];
    expect(conformalQuantile(scores, 0.1)).toBe(9);
    expect(conformalQuantile([...scores, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19], 0.1)).toBe(18);
  });

  it('refuses too few scores for α (the interval would be infinite) and non-finite scores', () => {
    expect(() => conformalQuantile([1, 2, 3, 4, 5, 6, 7, 8], 0.1)).toThrow(/too few for alpha 0.1: need at least 9/);
    expect(() => conformalQuantile([1, 2, Number.NaN, 4, 5, 6, 7, 8, 9], 0.1)).toThrow(/non-finite/);
    expect(() => conformalRank(10, 0)).toThrow(/alpha/);
  });
});

/** Heavy-tailed, heteroskedastic noise and a deliberately wrong model: conformal must not care. */
function draw(rng: Rng) {
  const x = rng.uniform(-2, 2);
  const t = rng.normal() / Math.sqrt((rng.normal() ** 2 + rng.normal() ** 2 + rng.normal() ** 2) / 3);
  return { x, y: 1.5 * x + (0.5 + Math.abs(x)) * t };
}
const model = (x: number) => 1.2 * x + 0.3;

describe('split-conformal coverage on data exchangeable with the calibration window', () => {
  const REPS = 400;
  const N_CAL = 99; // (n + 1)(1 − α) = 90 exactly: expected coverage 90/100
  const N_TEST = 200;

  it('regression: nominal 90 % covers 90 % ± 1 % on average over 400 seeds', () => {
    const coverages: number[] = [];
    for (let seed = 0; seed < REPS; seed++) {
      const rng = new Rng(`conformal-regression|${seed}`);
      const cal = Array.from({ length: N_CAL }, () => draw(rng));
      const c = calibrateRegression(
        cal.map((p) => ({ y: p.y, yhat: model(p.x) })),
        0.1,
      );
      let covered = 0;
      for (let i = 0; i < N_TEST; i++) {
        const p = draw(rng);
        const { lower, upper } = regressionInterval(c, model(p.x));
        if (p.y >= lower && p.y <= upper) covered++;
      }
      coverages.push(covered / N_TEST);
    }
    const mean = coverages.reduce((a, v) => a + v, 0) / REPS;
    expect(Math.abs(mean - 0.9)).toBeLessThan(0.01);
    // Conditional on one calibration window coverage is Beta(90, 10)-spread (sd ≈ 3 %), so single
    // seeds stray; the median seed sits at the nominal level.
    const median = [...coverages].sort((a, b) => a - b)[REPS / 2]!;
    expect(Math.abs(median - 0.9)).toBeLessThan(0.02);
  });

  it('classification: sets from 1 − p̂(true class) cover 90 % ± 1 % on average, pooled or by label', () => {
    const classes = ['a', 'b', 'c'] as const;
    const sample = (rng: Rng) => {
      const x = rng.normal();
      const logits = [x, -x, 0.3].map((l) => Math.exp(l));
      const total = logits.reduce((a, v) => a + v, 0);
      const truth = logits.map((l) => l / total);
      let u = rng.next();
      const label = classes.find((_, i) => (u -= truth[i]!) < 0) ?? 'c';
      // The model's probabilities are a blurred version of the truth.
      const probabilities = {
        a: 0.8 * truth[0]! + 0.2 / 3,
        b: 0.8 * truth[1]! + 0.2 / 3,
        c: 0.8 * truth[2]! + 0.2 / 3,
      };
      return { label, probabilities };
    };
    for (const mode of ['pooled', 'label-conditional'] as const) {
      let covered = 0;
      let total = 0;
      for (let seed = 0; seed < REPS; seed++) {
        const rng = new Rng(`conformal-classification|${seed}`);
        const c = calibrateClassification(
          Array.from({ length: N_CAL * 2 }, () => sample(rng)),
          0.1,
          mode,
        );
        for (let i = 0; i < N_TEST; i++) {
          const s = sample(rng);
          if (predictionSet(c, s.probabilities).includes(s.label)) covered++;
          total++;
        }
      }
      expect({ mode, off: Math.abs(covered / total - 0.9) < 0.01 }).toEqual({ mode, off: true });
    }
  });

  it('label-conditional sets keep 90 % coverage when the class mix shifts; pooled ones do not', () => {
    // Calibrated when shocks are 10 % of outcomes, used when they are 40 %.
    const draw = (rng: Rng, shockRate: number) => {
      const shock = rng.next() < shockRate;
      const signal = rng.normal() + (shock ? 1 : -1);
      const p = 1 / (1 + Math.exp(-(signal - 2.2)));
      const label: 'quiet' | 'shock' = shock ? 'shock' : 'quiet';
      return { label, probabilities: { quiet: 1 - p, shock: p } };
    };
    const coverage = (mode: 'pooled' | 'label-conditional') => {
      let covered = 0;
      let total = 0;
      for (let seed = 0; seed < 100; seed++) {
        const rng = new Rng(`conformal-shift|${seed}`);
        const c = calibrateClassification(
          Array.from({ length: 500 }, () => draw(rng, 0.1)),
          0.1,
          mode,
        );
        for (let i = 0; i < 200; i++) {
          const s = draw(rng, 0.4);
          if (predictionSet(c, s.probabilities).includes(s.label)) covered++;
          total++;
        }
      }
      return covered / total;
    };
    expect(Math.abs(coverage('label-conditional') - 0.9)).toBeLessThan(0.015);
    expect(coverage('pooled')).toBeLessThan(0.85);
  });
});

describe('group-conditional (Mondrian) calibration', () => {
  // Two regimes with different noise: calm (sd 1) and panic (sd 4); calibrated on 10 % panic,
  // used on 50 % panic.
  const draw = (rng: Rng, panicShare: number) => {
    const group = rng.next() < panicShare ? 'panic' : 'calm';
    return { group, y: (group === 'panic' ? 4 : 1) * rng.normal(), yhat: 0 };
  };
  const coverage = (useGroups: boolean) => {
    let covered = 0;
    let total = 0;
    for (let seed = 0; seed < 100; seed++) {
      const rng = new Rng(`mondrian|${seed}`);
      const c = calibrateRegression(
        Array.from({ length: 600 }, () => draw(rng, 0.1)),
        0.1,
      );
      for (let i = 0; i < 200; i++) {
        const p = draw(rng, 0.5);
        const { lower, upper } = regressionInterval(c, 0, useGroups ? p.group : undefined);
        if (p.y >= lower && p.y <= upper) covered++;
        total++;
      }
    }
    return covered / total;
  };

  it('keeps 90 % coverage when the regime mix shifts after calibration; a pooled interval does not', () => {
    expect(Math.abs(coverage(true) - 0.9)).toBeLessThan(0.015);
    expect(coverage(false)).toBeLessThan(0.8);
  });

  it('gives each group with enough rows its own residuals, and thin groups the pooled ones', () => {
    const rows = [
      ...Array.from({ length: 40 }, (_, i) => ({ y: i / 40, yhat: 0, group: 'calm' })),
      ...Array.from({ length: 10 }, (_, i) => ({ y: 10 + i, yhat: 0, group: 'panic' })),
    ];
    const c = calibrateRegression(rows, 0.1);
    expect(Object.keys(c.groups)).toEqual(['calm']);
    expect(c.groups.calm!.n).toBe(40);
    expect(regressionInterval(c, 0, 'calm').upper).toBe(36 / 40); // ⌈41·0.9⌉ = 37th of 0/40 … 39/40
    expect(regressionInterval(c, 0, 'panic')).toEqual(regressionInterval(c, 0));
  });
});

describe('the conformal predictive distribution', () => {
  const c = calibrateRegression(
    [-2, -1, 0, 1, 2, 3, 4, 5, 6].map((r) => ({ y: r, yhat: 0 })),
    0.1,
  );

  it('keeps the residuals sorted and puts quantiles at ŷ + the ⌈(n + 1)p⌉-th residual', () => {
    expect(c.residuals).toEqual([-2, -1, 0, 1, 2, 3, 4, 5, 6]);
    expect(c.q).toBe(6);
    expect(predictiveQuantile(c, 10, 0.5)).toBe(12); // ⌈10·0.5⌉ = 5th residual = 2
    expect(predictiveQuantile(c, 10, 0.05)).toBe(8); // clamped to the smallest
    expect(predictiveQuantile(c, 10, 0.99)).toBe(16); // clamped to the largest
    expect(regressionInterval(c, 10)).toEqual({ lower: 4, upper: 16 });
  });

  it('gives exceedance probabilities with (count + ½) / (n + 1)', () => {
    expect(predictiveExceedance(c, 0, 2.5)).toBeCloseTo((4 + 0.5) / 10, 15);
    expect(predictiveExceedance(c, 0, 2)).toBeCloseTo((4 + 0.5 + 0.5) / 10, 15);
  });
});
