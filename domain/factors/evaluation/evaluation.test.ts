/**
 * Factor evaluation on synthetic series whose IC is known: bivariate normal pairs with
 * correlation ρ have Spearman correlation (6/π)·asin(ρ/2) (Pearson & Kendall; Moran 1948).
 */
import { Rng } from '../../random';
import {
  fitIcHalfLife,
  forwardLogReturns,
  forwardRealisedVol,
  icByHorizon,
  icByPeriod,
} from './information-coefficient';
import { DEFAULT_POOL_RULE, reviewFactor, reviewPool, type PoolEntry } from './factor-pool';
import { averageRanks, spearman } from './rank-correlation';

const spearmanOfNormal = (rho: number) => (6 / Math.PI) * Math.asin(rho / 2);

/** n pairs (x, ρx + √(1−ρ²)ε). */
function correlated(rng: Rng, n: number, rho: number): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    x.push(a);
    y.push(rho * a + Math.sqrt(1 - rho * rho) * rng.normal());
  }
  return { x, y };
}

describe('Spearman rank correlation', () => {
  it('is 1 for any increasing relation and −1 for a decreasing one', () => {
    const x = [0.3, -1, 2, 5, 4.5];
    expect(
      spearman(
        x,
        x.map((v) => Math.exp(v)),
      ),
    ).toBeCloseTo(1, 12);
    expect(
      spearman(
        x,
        x.map((v) => -(v ** 3)),
      ),
    ).toBeCloseTo(-1, 12);
  });

  it('averages tied ranks: x = 1,2,2,3 against y = 1,3,2,4 → 4.5/√22.5 (worked by hand)', () => {
    expect(averageRanks([1, 2, 2, 3])).toEqual([1, 2.5, 2.5, 4]);
    // Rank deviations from 2.5: x −1.5,0,0,1.5; y −1.5,0.5,−0.5,1.5 → cov 4.5, var 4.5 and 5.
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(4.5 / Math.sqrt(22.5), 12);
  });

  it('drops pairs with a null side; null with < 3 pairs or a constant side; throws on NaN', () => {
    expect(spearman([1, null, 2, 3], [1, 5, 2, 3])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, null], [1, 2, 3])).toBeNull();
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(() => spearman([1, Number.NaN, 2], [1, 2, 3])).toThrow(RangeError);
    expect(() => spearman([1], [1, 2])).toThrow(RangeError);
  });

  it('recovers the known rank correlation of correlated normals (ρ = 0.3, n = 20 000)', () => {
    const { x, y } = correlated(new Rng(11), 20_000, 0.3);
    // Standard error ≈ 1/√n ≈ 0.007.
    expect(Math.abs(spearman(x, y)! - spearmanOfNormal(0.3))).toBeLessThan(0.02);
  });
});

describe('IC per period and its decay', () => {
  it('per-week ICs average to the known IC (52 weeks × 60 decisions, ρ = 0.2)', () => {
    const rng = new Rng(5);
    const samples = [];
    for (let w = 1; w <= 52; w++) {
      const { x, y } = correlated(rng, 60, 0.2);
      for (let i = 0; i < 60; i++) samples.push({ period: `2026-W${w}`, value: x[i]!, target: y[i]! });
    }
    samples.push({ period: '2026-W1', value: null, target: 1 });
    const ics = icByPeriod(samples);
    expect(ics).toHaveLength(52);
    expect(ics[0]).toMatchObject({ period: '2026-W1', n: 60 });
    const mean = ics.reduce((a, p) => a + p.ic!, 0) / ics.length;
    // Per-week SE ≈ 0.13, over 52 weeks ≈ 0.018.
    expect(Math.abs(mean - spearmanOfNormal(0.2))).toBeLessThan(0.05);
  });

  it('fits the half-life of an IC that halves every 4 horizons', () => {
    const rng = new Rng(9);
    const n = 20_000;
    const x = Array.from({ length: n }, () => rng.normal());
    const targets = new Map<number, number[]>();
    for (let h = 1; h <= 10; h++) {
      const rho = 0.5 * Math.pow(2, -(h - 1) / 4);
      targets.set(
        h,
        x.map((v) => rho * v + Math.sqrt(1 - rho * rho) * rng.normal()),
      );
    }
    const curve = icByHorizon(x, targets);
    expect(curve.map((p) => p.horizon)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(curve[0]!.ic!).toBeCloseTo(spearmanOfNormal(0.5), 1);
    const half = fitIcHalfLife(curve)!;
    // asin is close to linear at these sizes, so the rank IC halves about as fast as ρ.
    expect(half).toBeGreaterThan(3.4);
    expect(half).toBeLessThan(4.6);
  });

  it('half-life by hand: IC 0.08, 0.04, 0.02 at 1, 2, 3 → 1; a non-fading IC → null', () => {
    expect(
      fitIcHalfLife([
        { horizon: 1, ic: 0.08 },
        { horizon: 2, ic: 0.04 },
        { horizon: 3, ic: 0.02 },
      ]),
    ).toBeCloseTo(1, 12);
    expect(
      fitIcHalfLife([
        { horizon: 1, ic: 0.05 },
        { horizon: 2, ic: 0.06 },
      ]),
    ).toBeNull();
    expect(fitIcHalfLife([{ horizon: 1, ic: 0.05 }])).toBeNull();
  });

  it('forward targets from closes, by hand', () => {
    const closes = [100, 101, 99, 102];
    expect(forwardLogReturns(closes, 2)).toEqual([Math.log(0.99), Math.log(102 / 101), null, null]);
    const r1 = Math.log(99 / 101);
    const r2 = Math.log(102 / 99);
    expect(forwardRealisedVol(closes, 2)[1]).toBeCloseTo(Math.sqrt(((r1 * r1 + r2 * r2) / 2) * 252), 12);
    expect(forwardRealisedVol(closes, 2)[2]).toBeNull();
  });
});

describe('promotion and de-promotion', () => {
  const candidate: PoolEntry = { name: 'f', status: 'candidate', direction: null };
  const production: PoolEntry = { name: 'f', status: 'production', direction: 1 };

  it('a candidate whose OOS IC is reliably about 0.11 (ρ = 0.12) enters production with its direction', () => {
    const { x, y } = correlated(new Rng(3), 8 * 200, 0.12);
    const weekly = Array.from({ length: 8 }, (_, w) =>
      spearman(x.slice(w * 200, (w + 1) * 200), y.slice(w * 200, (w + 1) * 200)),
    );
    const d = reviewFactor(candidate, weekly);
    expect(d).toMatchObject({ action: 'promote', to: 'production', direction: 1, reason: 'IC_CLEARS_PROMOTION' });
    expect(d.rollingIc!).toBeGreaterThan(0.05);
    // The same factor with its sign flipped is just as useful: promoted with direction −1.
    expect(
      reviewFactor(
        candidate,
        weekly.map((v) => -v!),
      ),
    ).toMatchObject({ action: 'promote', direction: -1 });
  });

  it('a candidate with a noisy IC of zero stays out', () => {
    const { x, y } = correlated(new Rng(4), 8 * 200, 0);
    const weekly = Array.from({ length: 8 }, (_, w) =>
      spearman(x.slice(w * 200, (w + 1) * 200), y.slice(w * 200, (w + 1) * 200)),
    );
    expect(reviewFactor(candidate, weekly)).toMatchObject({
      action: 'keep',
      to: 'candidate',
      reason: 'IC_BELOW_PROMOTION',
    });
  });

  it(
    'a production factor whose IC decays linearly 0.06 − 0.005·t leaves in week 12, ' +
      'the first whose 8-week mean < 0.02',
    () => {
      // Mean of weeks t−7…t is 0.06 − 0.005·(t − 3.5): below 0.02 once t > 11.5.
      const ic = (t: number) => 0.06 - 0.005 * t;
      const history = Array.from({ length: 16 }, (_, t) => ic(t));
      let entry = production;
      let leftAt = -1;
      for (let t = 7; t < 16 && leftAt < 0; t++) {
        const d = reviewFactor(entry, history.slice(0, t + 1));
        if (d.action === 'demote') {
          leftAt = t;
          expect(d).toMatchObject({ to: 'candidate', reason: 'IC_DECAYED', direction: null });
          expect(d.rollingIc!).toBeCloseTo(0.06 - 0.005 * (t - 3.5), 12);
        } else entry = { ...entry, status: d.to, direction: d.direction };
      }
      expect(leftAt).toBe(12);
    },
  );

  it('hysteresis: a rolling IC of 0.03 keeps a production factor but does not admit a candidate', () => {
    const flat = [0.03, 0.031, 0.029, 0.03, 0.03, 0.031, 0.029, 0.03];
    expect(reviewFactor(production, flat)).toMatchObject({ action: 'keep', reason: 'IC_HOLDS' });
    expect(reviewFactor(candidate, flat)).toMatchObject({ action: 'keep', reason: 'IC_BELOW_PROMOTION' });
  });

  it('a negative-direction factor whose IC turns positive is de-promoted', () => {
    const neg: PoolEntry = { name: 'f', status: 'production', direction: -1 };
    expect(reviewFactor(neg, Array(8).fill(-0.06))).toMatchObject({ action: 'keep', direction: -1 });
    expect(reviewFactor(neg, Array(8).fill(0.01))).toMatchObject({ action: 'demote', reason: 'IC_DECAYED' });
  });

  it('too little history changes nothing; the pool reviews every entry; a bad rule is refused', () => {
    expect(reviewFactor(candidate, [0.2, 0.2, null])).toMatchObject({ action: 'keep', reason: 'INSUFFICIENT_HISTORY' });
    const decisions = reviewPool(
      [candidate, { name: 'g', status: 'production', direction: 1 }],
      new Map([['g', Array(8).fill(0)]]),
    );
    expect(decisions.map((d) => [d.name, d.action])).toEqual([
      ['f', 'keep'],
      ['g', 'demote'],
    ]);
    expect(() => reviewFactor(candidate, [], { ...DEFAULT_POOL_RULE, demoteBelow: 0.06 })).toThrow(RangeError);
  });
});
