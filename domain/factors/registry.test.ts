import { createSource, simulateDays } from '../market';
import { buildDecisionSnapshot } from '../snapshot/build-snapshot';
import { computeFactors } from './define-factor';
import { HAND_SNAPSHOT } from './hand-snapshot.fixture';
import { volIndexLevel } from './implied-vol';
import { FACTORS, factorByName } from './registry';
import { FACTOR_FAMILIES, FactorInputError } from './types';

describe('the factor library', () => {
  it('has at least 30 factors with unique snake_case names, a family, a description and a positive decay', () => {
    expect(FACTORS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(FACTORS.map((f) => f.name)).size).toBe(FACTORS.length);
    for (const f of FACTORS) {
      expect(f.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(FACTOR_FAMILIES).toContain(f.family);
      expect(f.description.length).toBeGreaterThan(30);
      expect(f.expectedDecay).toBeGreaterThan(0);
    }
    expect(factorByName('skew_rr25')?.family).toBe('skew');
  });

  it('covers every family the issue names', () => {
    expect(new Set(FACTORS.map((f) => f.family))).toEqual(new Set(FACTOR_FAMILIES));
  });

  it('computes every factor on the hand-built snapshot: numbers, no nulls', () => {
    const values = computeFactors(HAND_SNAPSHOT, FACTORS);
    expect(Object.keys(values)).toHaveLength(FACTORS.length);
    for (const [name, v] of Object.entries(values)) expect([name, Number.isFinite(v)]).toEqual([name, true]);
  });

  it('a non-finite number in the snapshot is a FactorInputError naming the field, never a NaN value', () => {
    const e0 = HAND_SNAPSHOT.chain.expiries[0]!;
    const broken = {
      ...HAND_SNAPSHOT,
      chain: { ...HAND_SNAPSHOT.chain, expiries: [{ ...e0, quotes: [{ ...e0.quotes[0]!, oi: Number.NaN }] }] },
    };
    expect(() => computeFactors(broken, FACTORS)).toThrow(FactorInputError);
    expect(() => computeFactors(broken, FACTORS)).toThrow('$.chain.expiries[0].quotes[0].oi');
    // One factor alone checks its own result.
    expect(() => volIndexLevel.compute({ ...HAND_SNAPSHOT, volIndex: Number.POSITIVE_INFINITY })).toThrow(
      /vol_index: computed Infinity/,
    );
  });
});

describe('factors on simulated snapshots', () => {
  const days = simulateDays({ instrument: 'NIFTY', fromDate: '2026-03-02', days: 45, seed: 21 });
  const today = days[days.length - 1]!;
  const source = createSource(today);
  const earlier = buildDecisionSnapshot(source, '10:00', { days: days.slice(0, -1) });
  const snap = buildDecisionSnapshot(source, '13:00', {
    days: days.slice(0, -1),
    previous: earlier,
    events: [{ date: today.date, name: 'results' }],
  });

  it('every factor gives a finite number once history, bars and an earlier snapshot are there', () => {
    const values = computeFactors(snap, FACTORS);
    for (const f of FACTORS) expect([f.name, Number.isFinite(values[f.name])]).toEqual([f.name, true]);
    // Sanity on scale: vols are decimals, the vol index near the surface level, distances small.
    expect(values.rv_cc_20d).toBeGreaterThan(0.01);
    expect(values.rv_cc_20d).toBeLessThan(2);
    expect(Math.abs(values.vol_index! - snap.surface.atmVol)).toBeLessThan(0.01);
    expect(values.skew_rr25).toBeLessThan(0); // the simulator's put skew
    expect(Math.abs(values.max_pain_distance!)).toBeLessThan(0.1);
    expect(values.event_proximity).toBe(1);
  });

  it('at the open with no history, factors that need data say null instead of guessing', () => {
    const bare = computeFactors(buildDecisionSnapshot(source, '09:15'), FACTORS);
    for (const name of ['rv_cc_20d', 'rv_har', 'iv_rank_252d', 'mom_30m', 'oi_change_net', 'pcr_volume'])
      expect([name, bare[name]]).toEqual([name, null]);
    expect(bare.mom_intraday).toBe(0);
    expect(bare.vol_index).toBeGreaterThan(0);
  });
});
