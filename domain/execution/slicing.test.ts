import fc from 'fast-check';
import { INSTRUMENTS, lotSize } from '../instruments';
import { FREEZE_LIMITS, freezeLimit, freezeLimitRecord } from './freeze-limits';
import { maxLotsPerOrder, sliceLeg, splitLots } from './slicing';

describe('freeze limits', () => {
  it('are the circular in force on the date', () => {
    expect(freezeLimit('BANKNIFTY', '2025-08-29')).toBe(600);
    expect(freezeLimit('BANKNIFTY', '2025-09-01')).toBe(900);
    expect(freezeLimit('BANKNIFTY', '2025-11-03')).toBe(600);
    expect(freezeLimit('BANKNIFTY', '2026-12-01')).toBe(600);
    expect(freezeLimit('NIFTY', '2026-12-01')).toBe(1800);
    expect(freezeLimitRecord('2026-02-01').circular).toMatch(/30 Jan 2026/);
  });

  it('refuse a date before the records and an unknown instrument, naming them', () => {
    expect(() => freezeLimit('NIFTY', '2024-01-01')).toThrow(/no freeze limit on 2024-01-01/);
    expect(() => freezeLimit('FINNIFTY' as never, '2026-01-01')).toThrow(/FINNIFTY/);
  });

  it('are sorted by date and whole positive units', () => {
    expect(FREEZE_LIMITS.map((r) => r.from)).toEqual([...FREEZE_LIMITS.map((r) => r.from)].sort());
    for (const r of FREEZE_LIMITS)
      for (const inst of INSTRUMENTS) expect(Number.isSafeInteger(r.units[inst]) && r.units[inst] > 0).toBe(true);
  });

  it('in whole lots: NIFTY 1800 units at lot 65 is 27 lots, BANKNIFTY 600 at lot 30 is 20', () => {
    expect(maxLotsPerOrder('NIFTY', '2026-12-01')).toBe(27);
    expect(maxLotsPerOrder('BANKNIFTY', '2026-12-01')).toBe(20);
    expect(maxLotsPerOrder('NIFTY', '2025-10-01')).toBe(24); // lot 75 then
  });
});

describe('sliceLeg', () => {
  it('keeps a leg within the limit whole', () => {
    expect(sliceLeg('NIFTY', '2026-12-01', 65 * 27)).toEqual([{ index: 0, lots: 27, quantity: 1755 }]);
  });

  it('makes a leg three times the largest order three equal children', () => {
    expect(sliceLeg('BANKNIFTY', '2026-12-01', 3 * 600)).toEqual([
      { index: 0, lots: 20, quantity: 600 },
      { index: 1, lots: 20, quantity: 600 },
      { index: 2, lots: 20, quantity: 600 },
    ]);
  });

  it('splits evenly, larger first: 28 NIFTY lots are 14 + 14, 55 are 19 + 18 + 18', () => {
    expect(sliceLeg('NIFTY', '2026-12-01', 28 * 65).map((s) => s.lots)).toEqual([14, 14]);
    expect(sliceLeg('NIFTY', '2026-12-01', 55 * 65).map((s) => s.lots)).toEqual([19, 18, 18]);
  });

  it('refuses a quantity that is not whole lots, or not a positive integer', () => {
    expect(() => sliceLeg('NIFTY', '2026-12-01', 100)).toThrow(/not whole lots of 65/);
    expect(() => sliceLeg('NIFTY', '2026-12-01', 0)).toThrow(/positive whole number/);
    expect(() => sliceLeg('NIFTY', '2026-12-01', 65.5)).toThrow(/positive whole number/);
  });

  const dates = fc.constantFrom('2025-07-15', '2025-09-10', '2025-11-20', '2026-01-05', '2026-06-16', '2026-12-01');
  it('property: children sum to the leg, each within the freeze limit in whole lots, fewest possible', () => {
    fc.assert(
      fc.property(fc.constantFrom(...INSTRUMENTS), dates, fc.integer({ min: 1, max: 2_000 }), (inst, date, lots) => {
        const lot = lotSize(inst, date);
        const slices = sliceLeg(inst, date, lots * lot);
        expect(slices.reduce((s, x) => s + x.quantity, 0)).toBe(lots * lot);
        for (const s of slices) {
          expect(s.quantity).toBeLessThanOrEqual(freezeLimit(inst, date));
          expect(s.quantity % lot).toBe(0);
          expect(s.lots).toBeGreaterThanOrEqual(1);
        }
        expect(slices).toHaveLength(Math.ceil(lots / maxLotsPerOrder(inst, date)));
        expect(Math.max(...slices.map((s) => s.lots)) - Math.min(...slices.map((s) => s.lots))).toBeLessThanOrEqual(1);
        expect(slices.map((s) => s.index)).toEqual(slices.map((_, i) => i));
      }),
    );
  });
});

describe('splitLots', () => {
  it('refuses too few or too many parts, naming the need', () => {
    expect(() => splitLots(10, 3, 3)).toThrow(/at least 4 parts/);
    expect(() => splitLots(3, 3, 4)).toThrow(/cannot make 4 parts/);
    expect(splitLots(10, 3, 5)).toEqual([2, 2, 2, 2, 2]);
  });
});
