import fc from 'fast-check';
import { addDays } from '../dates';
import { INSTRUMENT_SPECS } from '../instruments';
import { computeCostsDecimal } from './decimal-engine';
import { breakdownFromPaise, computeCosts, type CostLeg, type CostOptions } from './engine';
import { costsInPaise, integerCostContext } from './integer-engine';
import { COST_RATE_TABLE, type CostRates } from './rates';
import { DEFAULT_SLIPPAGE_MODEL, type SlippageModel } from './slippage';

/** Every date on which a rate row or an instrument record starts, and the day before it. */
const BOUNDARY_DATES = [
  ...new Set(
    [...COST_RATE_TABLE.map((r) => r.from), ...Object.values(INSTRUMENT_SPECS).flatMap((s) => s.map((r) => r.from))]
      .filter((d) => d >= COST_RATE_TABLE[0]!.from)
      .flatMap((d) => [addDays(d, -1), d]),
  ),
].sort();
const FIRST_SPEC = Object.values(INSTRUMENT_SPECS)
  .map((s) => s[0]!.from)
  .sort()
  .at(-1)!;
const dateArb = fc.oneof(
  fc.constantFrom(...BOUNDARY_DATES),
  fc.integer({ min: 0, max: 1200 }).map((n) => addDays(COST_RATE_TABLE[0]!.from, n)),
);

/** Whole paise as a number (how chains quote) or a string (how the API and the ledger pass them). */
const paiseArb = (max: number) =>
  fc.tuple(fc.integer({ min: 0, max }), fc.boolean()).map(([p, asText]) => (asText ? (p / 100).toFixed(2) : p / 100));

const legArb: fc.Arbitrary<CostLeg> = fc
  .record(
    {
      instrument: fc.constantFrom('NIFTY' as const, 'BANKNIFTY' as const),
      kind: fc.constantFrom('option' as const, 'future' as const),
      side: fc.constantFrom('BUY' as const, 'SELL' as const),
      lots: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 2000 })),
      price: fc.oneof(paiseArb(100_000), paiseArb(8_000_000)),
      date: dateArb,
      exercise: fc.boolean(),
      orders: fc.integer({ min: 1, max: 40 }),
      spread: paiseArb(2_000),
      volume: fc.integer({ min: 1, max: 5_000_000 }),
    },
    { requiredKeys: ['instrument', 'kind', 'side', 'lots', 'price', 'date'] },
  )
  .map((l) => ({ ...l, exercise: l.kind === 'option' ? l.exercise : undefined }));

/** The same breakdown, or the same error. */
function both(legs: readonly CostLeg[], options?: CostOptions): [unknown, unknown] {
  const run = (f: () => unknown) => {
    try {
      return f();
    } catch (e) {
      return { threw: String(e) };
    }
  };
  return [run(() => computeCosts(legs, options)), run(() => computeCostsDecimal(legs, options))];
}

describe('integer-paise cost engine equals the decimal engine to the paisa', () => {
  it('over random legs, prices, sides, kinds and dates on both sides of every rate change', () => {
    let integer = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.array(legArb, { minLength: 1, maxLength: 6 }), (legs) => {
        const [fast, reference] = both(legs);
        expect(fast).toEqual(reference);
        if (fast && typeof fast === 'object' && 'threw' in fast) return;
        runs++;
        if (costsInPaise(legs)) integer++;
      }),
      { numRuns: 3000 },
    );
    // Not a vacuous comparison: the integer engine answered nearly every case itself.
    expect(integer / runs).toBeGreaterThan(0.97);
  });

  it('legs without a volume (no square-root impact) and up to 200 lots always take the integer path', () => {
    fc.assert(
      fc.property(fc.array(legArb, { minLength: 1, maxLength: 6 }), (raw) => {
        // From the first date both instruments have a specification.
        const legs = raw.map(({ volume: _volume, ...l }) => ({
          ...l,
          lots: 1 + (l.lots % 200),
          date: l.date < FIRST_SPEC ? FIRST_SPEC : l.date,
        }));
        const paise = costsInPaise(legs);
        expect(paise).not.toBeNull();
        expect(breakdownFromPaise(paise!)).toEqual(computeCostsDecimal(legs));
      }),
      { numRuns: 2000 },
    );
  });

  it('with other rate tables and slippage models (refitted coefficients, odd decimals)', () => {
    const decimals = (max: number, scale: number) =>
      fc.integer({ min: 0, max }).map((n) => (n / 10 ** scale).toFixed(scale));
    const rowArb = (from: string): fc.Arbitrary<CostRates> =>
      fc.record({
        from: fc.constant(from),
        brokeragePerOrder: decimals(4000, 2),
        futuresBrokerageRate: decimals(1000, 6),
        sttOptionSell: decimals(3000, 6),
        sttOptionExercise: decimals(3000, 6),
        sttFuturesSell: decimals(1000, 6),
        exchangeTxnOption: decimals(100_000, 9),
        exchangeTxnFutures: decimals(10_000, 9),
        ipftOption: decimals(100, 7),
        ipftFutures: decimals(100, 7),
        sebiFee: decimals(100, 7),
        stampOptionBuy: decimals(100, 6),
        stampFuturesBuy: decimals(100, 6),
        gst: decimals(30, 2),
      });
    const tableArb = fc.tuple(rowArb('2024-10-01'), rowArb('2025-12-31'), rowArb('2026-04-01'));
    const modelArb: fc.Arbitrary<SlippageModel> = fc.record({
      version: fc.constant('refit-test'),
      spreadShare: decimals(1000, 3),
      perLot: decimals(500, 4),
      impact: decimals(2000, 3),
      impactExponent: fc.constantFrom('0.5', '0.6', '1', '0'),
      defaultSpreadFraction: fc.record({ option: decimals(50, 4), future: decimals(50, 6) }),
      minSpread: decimals(20, 2),
    });
    let integer = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.array(legArb, { minLength: 1, maxLength: 4 }), tableArb, modelArb, (legs, table, model) => {
        const options = { rateTable: table, slippageModel: model };
        const [fast, reference] = both(legs, options);
        expect(fast).toEqual(reference);
        if (fast && typeof fast === 'object' && 'threw' in fast) return;
        runs++;
        if (costsInPaise(legs, integerCostContext(options))) integer++;
      }),
      { numRuns: 1500 },
    );
    // Mostly integer; the rest are crore-sized legs whose 9-decimal rates take the sums past 2^53.
    expect(integer / runs).toBeGreaterThan(0.8);
  });

  it('a futures order sliced into three, whose exact brokerage sits on a half paisa', () => {
    // ₹2.50 × 100 lots × 65 = ₹16,250 in 3 orders: 0.03% is ₹4.875, half up → ₹4.88. Dividing the
    // turnover by 3 first (5,416.666…) and multiplying back gives 4.87499…9 and rounds down.
    const leg: CostLeg = {
      instrument: 'NIFTY',
      kind: 'future',
      side: 'BUY',
      lots: 100,
      price: 2.5,
      date: '2026-05-05',
      orders: 3,
    };
    expect(costsInPaise([leg])!.brokerage).toBe(488);
    expect(computeCostsDecimal([leg]).brokerage).toBe('4.88');
  });

  it('falls back where it cannot be exact, and the answer is still the reference', () => {
    const leg: CostLeg = { instrument: 'NIFTY', kind: 'option', side: 'SELL', lots: 1, price: 0, date: '2026-05-05' };
    const cases: CostLeg[] = [
      { ...leg, price: '101.055' }, // a fraction of a paisa
      { ...leg, price: 1e12, lots: 1000 }, // past 2^53 paise-units
      { ...leg, price: '1e2' }, // exponent notation
    ];
    for (const c of cases) {
      expect(costsInPaise([c])).toBeNull();
      expect(computeCosts([c])).toEqual(computeCostsDecimal([c]));
    }
    // Bad legs: the decimal engine's own error, field named.
    expect(() => computeCosts([{ ...leg, lots: 0 }])).toThrow('legs[0].lots');
    expect(() => computeCosts([{ ...leg, date: '2024-09-30' }])).toThrow(/no cost rates in force on 2024-09-30/);
    // A model with more digits than a double holds compiles to null: decimal engine.
    const model = { ...DEFAULT_SLIPPAGE_MODEL, perLot: '0.0200000000000000001' };
    expect(integerCostContext({ slippageModel: model })).toBeNull();
    expect(computeCosts([{ ...leg, price: 10 }], { slippageModel: model })).toEqual(
      computeCostsDecimal([{ ...leg, price: 10 }], { slippageModel: model }),
    );
  });
});
