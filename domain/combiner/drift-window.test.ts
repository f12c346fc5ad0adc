import fc from 'fast-check';
import type { FactorValues } from '../factors/types';
import { Rng } from '../random';
import { driftReference, psi, psiOfShares } from './drift';
import { DriftWindow } from './drift-window';

const rng = new Rng(11);
const reference = driftReference(Array.from({ length: 1000 }, () => rng.normal()));
const other = driftReference(Array.from({ length: 1000 }, () => rng.normal() * 2 + 1));

describe('the drift window', () => {
  it('keeps the latest rows, oldest first, at most its size', () => {
    const w = new DriftWindow(3);
    w.push([{ a: 1 }, { a: 2 }]);
    w.push([{ a: 3 }, { a: 4 }]);
    expect(w.length).toBe(3);
    expect(w.values()).toEqual([{ a: 2 }, { a: 3 }, { a: 4 }]);
  });

  it('counts a factor in the bins of the reference asked for: the PSI of a pass over its values', () => {
    const w = DriftWindow.of([{ a: -3 }, { a: 0.1 }, { a: null }, {}, { a: 2.5 }]);
    const values = [-3, 0.1, null, null, 2.5];
    expect(psiOfShares(reference, w.shares('a', reference))).toBe(psi(reference, values));
    // Another model's reference: counted afresh in its bins.
    expect(psiOfShares(other, w.shares('a', other))).toBe(psi(other, values));
  });

  // Whatever rows come and go (values, missing ones, a reference swapped in between), the counts
  // kept along the way give bit for bit the PSI of a pass over the window's values.
  it('property: the kept counts always give the PSI of a fresh pass', () => {
    const value = fc.option(fc.double({ min: -5, max: 5, noNaN: true }), { nil: null });
    const row = fc.record({ a: value, b: value }, { requiredKeys: [] });
    const step = fc.record({ rows: fc.array(row, { maxLength: 7 }), swap: fc.boolean() });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(step, { maxLength: 25 }), (size, steps) => {
        const w = new DriftWindow(size);
        const all: FactorValues[] = [];
        let ref = reference;
        for (const s of steps) {
          w.push(s.rows as FactorValues[]);
          all.push(...(s.rows as FactorValues[]));
          if (s.swap) ref = ref === reference ? other : reference;
          const kept = all.slice(-size);
          for (const f of ['a', 'b'])
            expect(psiOfShares(ref, w.shares(f, ref))).toBe(
              psi(
                ref,
                kept.map((r) => r[f] ?? null),
              ),
            );
        }
      }),
      { numRuns: 300 },
    );
  });
});
