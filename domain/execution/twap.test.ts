import fc from 'fast-check';
import { freezeLimit } from './freeze-limits';
import { twapSchedule, type TwapRequest } from './twap';

const base: TwapRequest = {
  instrument: 'NIFTY',
  date: '2026-12-01',
  lots: 10,
  legQuantities: [650, 650],
  slices: 5,
  startMs: 1_000_000,
  windowMs: 60_000,
};

describe('twapSchedule', () => {
  it('spaces n slices evenly over the window from the start, lots split evenly', () => {
    const s = twapSchedule(base);
    expect(s.note).toBeNull();
    expect(s.slices.map((x) => x.atMs - base.startMs)).toEqual([0, 12_000, 24_000, 36_000, 48_000]);
    expect(s.slices.map((x) => x.lots)).toEqual([2, 2, 2, 2, 2]);
    expect(s.slices[0]!.legQuantities).toEqual([130, 130]);
  });

  it('keeps a ratio leg in proportion', () => {
    const s = twapSchedule({ ...base, lots: 3, slices: 3, legQuantities: [195, 390] });
    expect(s.slices.map((x) => x.legQuantities)).toEqual([
      [65, 130],
      [65, 130],
      [65, 130],
    ]);
  });

  it('raises the slice count when fewer slices would exceed the freeze limit, and says so', () => {
    // 60 BANKNIFTY lots (1800 units per leg) in 2 slices would be 900 a slice; the limit is 600.
    const s = twapSchedule({ ...base, instrument: 'BANKNIFTY', lots: 60, legQuantities: [1800], slices: 2 });
    expect(s.slices).toHaveLength(3);
    expect(s.requestedSlices).toBe(2);
    expect(s.note).toMatch(/3 slices of ≤ 20 lots/);
  });

  it('refuses bad input naming the field', () => {
    expect(() => twapSchedule({ ...base, slices: 0 })).toThrow(/slices must be a positive whole number/);
    expect(() => twapSchedule({ ...base, slices: 11 })).toThrow(/cannot make 11 slices/);
    expect(() => twapSchedule({ ...base, windowMs: -1 })).toThrow(/windowMs/);
    expect(() => twapSchedule({ ...base, legQuantities: [650, 100] })).toThrow(/leg 1/);
    expect(() => twapSchedule({ ...base, legQuantities: [] })).toThrow(/at least one leg/);
  });

  it('property: slices sum to the structure, each leg within the freeze limit, times inside the window', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('NIFTY' as const, 'BANKNIFTY' as const),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        (instrument, lots, ratio, slicesAsked, windowMs) => {
          const lot = instrument === 'NIFTY' ? 65 : 30;
          const r = { ...base, instrument, lots, windowMs, slices: Math.min(slicesAsked, lots) };
          const legQuantities = [lots * lot, lots * lot * ratio];
          const s = twapSchedule({ ...r, legQuantities });
          expect(s.slices.reduce((a, x) => a + x.lots, 0)).toBe(lots);
          for (const [i, q] of legQuantities.entries())
            expect(s.slices.reduce((a, x) => a + x.legQuantities[i]!, 0)).toBe(q);
          for (const x of s.slices) {
            for (const q of x.legQuantities) {
              expect(q).toBeLessThanOrEqual(freezeLimit(instrument, base.date));
              expect(q % lot).toBe(0);
            }
            expect(x.atMs).toBeGreaterThanOrEqual(base.startMs);
            expect(x.atMs).toBeLessThanOrEqual(base.startMs + windowMs);
          }
          expect(s.slices.length).toBeGreaterThanOrEqual(r.slices);
          for (let k = 1; k < s.slices.length; k++)
            expect(s.slices[k]!.atMs).toBeGreaterThanOrEqual(s.slices[k - 1]!.atMs);
        },
      ),
    );
  });
});
