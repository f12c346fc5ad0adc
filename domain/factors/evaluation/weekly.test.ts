import { isTradingDay } from '../../calendar';
import type { ForwardTargets } from '../../signals/targets';
import type { Factor } from '../types';
import { reviewFactor } from './factor-pool';
import { evaluationPeriods, icTrend, weekIcs } from './weekly';

const factor = (name: string, family: Factor['family']): Factor => ({
  name,
  family,
  description: name,
  expectedDecay: 1,
  compute: () => 0,
});
const targets = (logReturn: number, realisedVol: number) => ({ logReturn, realisedVol }) as unknown as ForwardTargets;

describe('weekly factor evaluation', () => {
  it('judges a direction factor on the forward return and a vol factor on the forward realised vol', () => {
    // mom rises with the return (IC 1) and falls with the vol; rv rises with the vol (IC 1).
    const rows = [1, 2, 3, 4, 5].map((k) => ({
      factors: { mom: k, rv: k * 10, gap: k === 3 ? null : 1 },
      targets: targets(k / 100, 0.5 - k / 100),
    }));
    rows.forEach((r, i) => Object.assign(r.targets, { realisedVol: [0.1, 0.3, 0.2, 0.5, 0.4][i] }));
    const out = weekIcs(rows, [factor('mom', 'momentum'), factor('rv', 'volatility'), factor('gap', 'volatility')]);
    expect(out[0]).toEqual({ factor: 'mom', target: 'logReturn', ic: 1, n: 5 });
    // rv ranks 1..5 against vol ranks 1,3,2,5,4: Σd² = 4 → 1 − 6·4/(5·24) = 0.8.
    expect(out[1]!.target).toBe('realisedVol');
    expect(out[1]!.ic).toBeCloseTo(0.8, 12);
    // A constant factor has no IC, and its missing value is not a pair.
    expect(out[2]).toEqual({ factor: 'gap', target: 'realisedVol', ic: null, n: 4 });
  });

  it('measures the IC trend per week by least squares, skipping unknown weeks', () => {
    expect(icTrend([0.1, 0.08, null, 0.04])).toBeCloseTo(-0.02, 12);
    expect(icTrend([0.1, null, 0.05])).toBeNull();
  });

  it('lays week ends a week apart on trading days, oldest first', () => {
    // 2026-01-30 is a Friday; 2026-01-23 a Friday; 2026-01-16 a Friday.
    expect(evaluationPeriods('2026-01-30', 3)).toEqual(['2026-01-16', '2026-01-23', '2026-01-30']);
    // A Saturday end moves back to Friday; every period trades.
    const p = evaluationPeriods('2026-03-07', 8);
    expect(p.at(-1)).toBe('2026-03-06');
    expect(p.every(isTradingDay)).toBe(true);
    expect(() => evaluationPeriods('2026-03-06', 0)).toThrow(RangeError);
  });

  it('a starting-pool factor takes its IC’s sign, and is de-promoted only when |IC| falls below the bar', () => {
    const start = { name: 'f', status: 'production' as const, direction: null };
    expect(reviewFactor(start, Array(8).fill(-0.06))).toMatchObject({ action: 'keep', direction: -1 });
    expect(reviewFactor(start, Array(8).fill(0.01))).toMatchObject({ action: 'demote', reason: 'IC_DECAYED' });
  });
});
