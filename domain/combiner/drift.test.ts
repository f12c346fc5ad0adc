import { Rng } from '../random';
import {
  DEFAULT_DRIFT_BANDS,
  DEFAULT_MIN_DRIFT_WINDOW,
  driftBand,
  driftFactors,
  driftReference,
  driftReferences,
  moduleDrift,
  psi,
} from './drift';
import { DriftWindow } from './drift-window';

describe('population stability index', () => {
  const reference = driftReference(
    Array.from({ length: 100 }, (_, i) => i),
    4,
  );

  it('bins the reference at its quantiles', () => {
    expect(reference.edges).toEqual([25, 50, 75]);
    expect(reference.shares).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(reference.missing).toBe(0);
  });

  it('is Σ (c − r)·ln(c / r), empty bins floored at 1e-4', () => {
    const current = [...Array.from({ length: 50 }, (_, i) => i / 2), ...Array.from({ length: 50 }, (_, i) => 80 + i)];
    const byHand = 2 * (0.5 - 0.25) * Math.log(0.5 / 0.25) + 2 * (1e-4 - 0.25) * Math.log(1e-4 / 0.25);
    expect(psi(reference, current)).toBeCloseTo(byHand, 12);
    expect(
      psi(
        reference,
        Array.from({ length: 100 }, (_, i) => i),
      ),
    ).toBe(0);
  });

  it('counts values going missing as drift', () => {
    const half = [...Array.from({ length: 50 }, (_, i) => i * 2), ...Array.from({ length: 50 }, () => null)];
    expect(psi(reference, half)).toBeGreaterThan(0.25);
  });
});

describe('drift bands → weight multipliers', () => {
  it('PSI < 0.1 stable ×1, 0.1 – 0.25 moderate ×0.5, ≥ 0.25 major ×0.2', () => {
    expect(DEFAULT_DRIFT_BANDS.map((b) => [b.label, b.below, b.multiplier])).toEqual([
      ['stable', 0.1, 1],
      ['moderate', 0.25, 0.5],
      ['major', null, 0.2],
    ]);
    expect(driftBand(0.0999).multiplier).toBe(1);
    expect(driftBand(0.1).multiplier).toBe(0.5);
    expect(driftBand(0.2499).multiplier).toBe(0.5);
    expect(driftBand(0.25).multiplier).toBe(0.2);
  });

  it('a module takes the band of its worst factor; a window too short to tell drift from noise is not judged', () => {
    expect(DEFAULT_MIN_DRIFT_WINDOW).toBe(200);
    const rng = new Rng(5);
    const rows = (n: number, shift: number) =>
      Array.from({ length: n }, () => ({ a: rng.normal(), b: rng.normal() + shift }));
    const sample = (n: number, shift: number) => DriftWindow.of(rows(n, shift));
    const factors = driftFactors([
      { factor: 'a', transform: 'log' },
      { factor: 'b', times: 'regime_p_calm' },
    ]);
    expect(factors).toEqual(['a', 'b']);
    const refs = driftReferences(factors, rows(5000, 0));
    const same = moduleDrift(factors, refs, sample(2000, 0));
    expect(same.band).toBe('stable');
    expect(same.multiplier).toBe(1);
    const shifted = moduleDrift(factors, refs, sample(2000, 1.5));
    expect(shifted).toMatchObject({ worstFactor: 'b', band: 'major', multiplier: 0.2 });
    expect(shifted.factors.find((f) => f.factor === 'a')!.psi).toBeLessThan(0.1);
    const moderate = moduleDrift(factors, refs, sample(2000, 0.45));
    expect(moderate).toMatchObject({ worstFactor: 'b', band: 'moderate', multiplier: 0.5 });
    expect(moduleDrift(factors, refs, sample(199, 3))).toMatchObject({
      band: 'insufficient',
      multiplier: 1,
      psi: null,
    });
  });
});
