import { Rng } from '../../random';
import { featureName, fitScaler, MissingFactorError, rawFeature, scaleFeatures, Z_CAP } from './features';
import { cholesky, invertSpd, solveSpd } from './linear-algebra';
import { predictLogistic, trainLogistic } from './logistic';
import { predictRidge, trainRidge } from './ridge';
import { predictSoftmax, trainSoftmax } from './softmax';

describe('linear algebra', () => {
  const a = [
    [4, 2, 0.4],
    [2, 5, 1],
    [0.4, 1, 3],
  ];

  it('solves and inverts a symmetric positive-definite system', () => {
    const x = solveSpd(a, [1, 2, 3]);
    a.forEach((row, i) => expect(row.reduce((s, v, j) => s + v * x[j]!, 0)).toBeCloseTo([1, 2, 3][i]!, 12));
    const inv = invertSpd(a);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        expect(a[i]!.reduce((s, v, k) => s + v * inv[k]![j]!, 0)).toBeCloseTo(i === j ? 1 : 0, 12);
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() =>
      cholesky([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow(/not positive definite/);
  });
});

describe('features', () => {
  const values = { a: 2, b: -3, c: null, z: 0 };

  it('reads factors by name, with transforms and products', () => {
    expect(rawFeature(values, { factor: 'a' })).toBe(2);
    expect(rawFeature(values, { factor: 'b', transform: 'abs' })).toBe(3);
    expect(rawFeature(values, { factor: 'a', transform: 'log' })).toBeCloseTo(Math.log(2), 15);
    expect(rawFeature(values, { factor: 'b', transform: 'log' })).toBeNull();
    expect(rawFeature(values, { factor: 'a', times: 'b' })).toBe(-6);
    expect(rawFeature(values, { factor: 'a', times: 'c' })).toBeNull();
    expect(featureName({ factor: 'a', times: 'b', transform: 'abs' })).toBe('abs(a*b)');
  });

  it('an absent factor is an error naming it, not a silent mean', () => {
    expect(() => rawFeature(values, { factor: 'regime_p_calm' })).toThrow(MissingFactorError);
    expect(() => rawFeature(values, { factor: 'a', times: 'nope' })).toThrow(/factor nope is not among the values/);
  });

  it('standardises with the training mean and sd; missing → 0, |z| capped, constants → 0', () => {
    const specs = [{ factor: 'x' }, { factor: 'k' }];
    const rows = [1, 2, 3, 4, 5].map((x) => ({ x, k: 7 }));
    const scaler = fitScaler(specs, rows);
    expect(scaler.mean).toEqual([3, 7]);
    expect(scaler.sd[0]).toBeCloseTo(Math.sqrt(2.5), 15);
    expect(scaler.sd[1]).toBe(1);
    const [z, zk] = scaleFeatures(scaler, specs, { x: 3 + Math.sqrt(2.5), k: 7 });
    expect(z).toBeCloseTo(1, 12);
    expect(zk).toBe(0);
    expect(scaleFeatures(scaler, specs, { x: null, k: 7 })).toEqual([0, 0]);
    expect(scaleFeatures(scaler, specs, { x: 1e6, k: 7 })[0]).toBe(Z_CAP);
  });
});

describe('learners recover known models', () => {
  const rng = new Rng(11);
  const rows = Array.from({ length: 4000 }, () => ({ a: rng.normal() * 2, b: rng.uniform(-1, 3) }));

  it('ridge: y = 2 + 3a − b exactly, with a vanishing penalty', () => {
    const state = trainRidge(
      [{ factor: 'a' }, { factor: 'b' }],
      rows.map((f) => ({ factors: f, y: 2 + 3 * f.a - f.b })),
      { lambda: 1e-12 },
    );
    expect(predictRidge(state, { a: 0.5, b: 1 })).toBeCloseTo(2 + 1.5 - 1, 6);
    expect(predictRidge(state, { a: -1, b: 2.5 })).toBeCloseTo(2 - 3 - 2.5, 6);
    const json = JSON.parse(JSON.stringify(state)) as typeof state;
    expect(predictRidge(json, { a: 0.3, b: 0.1 })).toBe(predictRidge(state, { a: 0.3, b: 0.1 }));
  });

  it('logistic: labels drawn from P(1) = σ(−0.5 + 1.2a − 0.8b) give back the probabilities', () => {
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    const truth = (f: { a: number; b: number }) => sig(-0.5 + 1.2 * f.a - 0.8 * f.b);
    const labelled = rows.map((f) => ({ factors: f, label: (rng.next() < truth(f) ? 1 : 0) as 0 | 1 }));
    const state = trainLogistic([{ factor: 'a' }, { factor: 'b' }], labelled, { lambda: 1e-6 });
    for (const f of [
      { a: 0, b: 0 },
      { a: 1, b: 0.5 },
      { a: -1, b: 2 },
    ])
      expect(Math.abs(predictLogistic(state, f) - truth(f))).toBeLessThan(0.04);
  });

  it('softmax: three separated clusters are told apart, probabilities sum to one', () => {
    const centres = { calm: [0, 0], trending: [3, 0], panic: [0, 3] } as const;
    const classes = ['calm', 'trending', 'panic'] as const;
    const sample = (n: number) =>
      Array.from({ length: n }, (_, i) => {
        const label = classes[i % 3]!;
        const [cx, cy] = centres[label];
        return { factors: { x: cx + rng.normal() * 0.6, y: cy + rng.normal() * 0.6 }, label };
      });
    const state = trainSoftmax(classes, [{ factor: 'x' }, { factor: 'y' }], sample(900));
    const test = sample(600);
    let right = 0;
    for (const r of test) {
      const p = predictSoftmax(state, r.factors);
      expect(p.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
      if (classes[p.indexOf(Math.max(...p))] === r.label) right++;
    }
    expect(right / test.length).toBeGreaterThan(0.95);
    expect(state.coefficients[0]).toEqual([0, 0, 0]);
  });
});
