import fc from 'fast-check';
import { dec, floorDiv } from './money';

describe('floorDiv', () => {
  it('is the floor of the quotient, down for negative ones that do not divide', () => {
    expect(floorDiv('1000.00', '333.33')).toBe(3);
    expect(floorDiv('999.99', '333.33')).toBe(3);
    expect(floorDiv('999.98', '333.33')).toBe(2);
    expect(floorDiv('-0.01', '250')).toBe(-1);
    expect(floorDiv('-500', '250')).toBe(-2);
    expect(Object.is(floorDiv('0', '7'), 0)).toBe(true);
    expect(Object.is(floorDiv('-0.00', '7'), 0)).toBe(true);
  });

  it('property: agrees with the full quotient floored, for paise amounts', () => {
    const paise = fc.integer({ min: -1e12, max: 1e12 });
    fc.assert(
      fc.property(paise, fc.integer({ min: 1, max: 1e10 }), (a, b) => {
        const [x, y] = [dec(a).dividedBy(100), dec(b).dividedBy(100)];
        expect(floorDiv(x, y)).toBe(x.dividedBy(y).floor().toNumber() + 0);
      }),
      { numRuns: 2000 },
    );
  });
});
