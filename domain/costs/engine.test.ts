import fc from 'fast-check';
import { Decimal } from '../money';
import { COST_COMPONENTS, computeCosts, type CostLeg } from './engine';
import { evaluateEconomics, evaluateHedgeBudget, evaluateNetEv } from './decision';
import { ratesOn } from './rates';
import { estimateSlippage } from './slippage';

describe('worked examples, computed by hand component by component', () => {
  it('1. BUY 2 lots NIFTY option @ 101.50 on 2026-05-05 (after 1 Apr 2026)', () => {
    // quantity = 2 × 65 = 130; turnover = 101.50 × 130 = 13,195.00; 130 < freeze 1800 → 1 order
    // brokerage  = 20.00
    // STT        = 0 (buy side, not exercised)
    // exchange   = 13,195 × 0.03503%  = 4.6222085   → 4.62
    // IPFT       = 13,195 × 0.0005%   = 0.065975    → 0.07
    // SEBI       = 13,195 × 0.0001%   = 0.013195    → 0.01
    // stamp      = 13,195 × 0.003%    = 0.39585     → 0.40
    // GST        = 18% × (20 + 4.62 + 0.07 + 0.01) = 18% × 24.70 = 4.446 → 4.45
    // slippage   : spread = max(0.05, 101.50 × 0.1%) = 0.1015; per unit = 0.1015 × (0.5 + 0.02 × 1) = 0.05278
    //              × 130 = 6.8614 → 6.86
    // total      = 20 + 0 + 4.62 + 0.07 + 0.01 + 0.40 + 4.45 + 6.86 = 36.41
    const c = computeCosts([
      { instrument: 'NIFTY', kind: 'option', side: 'BUY', lots: 2, price: 101.5, date: '2026-05-05' },
    ]);
    expect(c).toMatchObject({
      brokerage: '20.00',
      stt: '0.00',
      exchangeTxn: '4.62',
      ipft: '0.07',
      sebi: '0.01',
      stamp: '0.40',
      gst: '4.45',
      slippage: '6.86',
      total: '36.41',
      charges: '29.55',
      turnover: '13195.00',
    });
    expect(c.legs).toEqual([{ quantity: 130, orders: 1, turnover: '13195.00', ratesFrom: '2026-04-01' }]);
  });

  it('2. SELL 3 lots NIFTY option @ 150.25 on 2026-03-10 (STT 0.1%) and on 2026-04-06 (STT 0.15%)', () => {
    // quantity = 3 × 65 = 195; turnover = 150.25 × 195 = 29,298.75; 1 order
    // brokerage  = 20.00
    // STT before = 29,298.75 × 0.1%  = 29.29875  → 29 (nearest rupee)
    // STT after  = 29,298.75 × 0.15% = 43.948125 → 44
    // exchange   = 29,298.75 × 0.03503% = 10.263352125 → 10.26
    // IPFT       = 29,298.75 × 0.0005%  = 0.14649375   → 0.15
    // SEBI       = 29,298.75 × 0.0001%  = 0.02929875   → 0.03
    // stamp      = 0 (sell side)
    // GST        = 18% × (20 + 10.26 + 0.15 + 0.03) = 18% × 30.44 = 5.4792 → 5.48
    // slippage   : spread = 150.25 × 0.1% = 0.15025; per unit = 0.15025 × (0.5 + 0.02 × 2) = 0.081135
    //              × 195 = 15.821325 → 15.82
    // total      = 20 + 29 + 10.26 + 0.15 + 0.03 + 0 + 5.48 + 15.82 = 80.74 (before), 95.74 (after)
    const leg = { instrument: 'NIFTY', kind: 'option', side: 'SELL', lots: 3, price: '150.25' } as const;
    const before = computeCosts([{ ...leg, date: '2026-03-10' }]);
    const after = computeCosts([{ ...leg, date: '2026-04-06' }]);
    expect(before).toMatchObject({
      brokerage: '20.00',
      stt: '29.00',
      exchangeTxn: '10.26',
      ipft: '0.15',
      sebi: '0.03',
      stamp: '0.00',
      gst: '5.48',
      slippage: '15.82',
      total: '80.74',
    });
    expect(after).toMatchObject({ stt: '44.00', gst: '5.48', total: '95.74' });
  });

  it('3. BANKNIFTY future BUY + NIFTY exercise before 1 Apr 2026', () => {
    // Leg A: BUY 1 lot BANKNIFTY future @ 56,000.40 on 2026-03-16: qty 30, turnover 1,680,012.00
    //   brokerage = min(0.03% × 1,680,012 = 504.0036, 20) = 20
    //   STT 0 (buy); exchange = 1,680,012 × 0.00173% = 29.0642076; IPFT = × 0.0001% = 1.680012
    //   SEBI = × 0.0001% = 1.680012; stamp = × 0.002% = 33.60024
    //   slippage: spread = 56,000.40 × 0.002% = 1.120008; × 0.5 × 30 = 16.80012
    // Leg B: exercised long NIFTY option, 1 lot, intrinsic 42.35 on 2026-03-24: value 42.35 × 65 = 2,752.75
    //   brokerage 20; STT = 0.125% × 2,752.75 = 3.4409375; nothing else
    // brokerage 40.00; STT 3.4409375 → 3; exchange 29.06; IPFT 1.68; SEBI 1.68; stamp 33.60
    // GST = 18% × (40 + 29.06 + 1.68 + 1.68) = 18% × 72.42 = 13.0356 → 13.04; slippage 16.80
    // total = 40 + 3 + 29.06 + 1.68 + 1.68 + 33.60 + 13.04 + 16.80 = 138.86
    const c = computeCosts([
      { instrument: 'BANKNIFTY', kind: 'future', side: 'BUY', lots: 1, price: '56000.40', date: '2026-03-16' },
      { instrument: 'NIFTY', kind: 'option', side: 'BUY', lots: 1, price: '42.35', date: '2026-03-24', exercise: true },
    ]);
    expect(c).toMatchObject({
      brokerage: '40.00',
      stt: '3.00',
      exchangeTxn: '29.06',
      ipft: '1.68',
      sebi: '1.68',
      stamp: '33.60',
      gst: '13.04',
      slippage: '16.80',
      total: '138.86',
    });
  });

  it('4. BANKNIFTY future SELL + NIFTY exercise after 1 Apr 2026', () => {
    // Leg A: SELL 1 lot BANKNIFTY future @ 56,000.40 on 2026-04-15: turnover 1,680,012.00
    //   STT = 0.05% × 1,680,012 = 840.006; stamp 0 (sell); other lines as in example 3
    // Leg B: exercise on 2026-04-28: STT = 0.15% × 2,752.75 = 4.129125
    // STT = 840.006 + 4.129125 = 844.135125 → 844
    // total = 40 + 844 + 29.06 + 1.68 + 1.68 + 0 + 13.04 + 16.80 = 946.26
    const c = computeCosts([
      { instrument: 'BANKNIFTY', kind: 'future', side: 'SELL', lots: 1, price: '56000.40', date: '2026-04-15' },
      { instrument: 'NIFTY', kind: 'option', side: 'BUY', lots: 1, price: '42.35', date: '2026-04-28', exercise: true },
    ]);
    expect(c).toMatchObject({ brokerage: '40.00', stt: '844.00', stamp: '0.00', gst: '13.04', total: '946.26' });
  });

  it('a small futures order pays the 0.03% brokerage, not ₹20', () => {
    // NIFTY futures on 2026-05-05, 1 lot @ 100 (an artificial price): turnover 6,500 → 0.03% = 1.95
    const c = computeCosts([
      { instrument: 'NIFTY', kind: 'future', side: 'SELL', lots: 1, price: 100, date: '2026-05-05' },
    ]);
    expect(c.brokerage).toBe('1.95');
  });

  it('an order above the freeze quantity is sliced and each slice pays brokerage', () => {
    // 30 lots × 65 = 1,950 units > 1,800 → 2 orders → ₹40
    const c = computeCosts([
      { instrument: 'NIFTY', kind: 'option', side: 'SELL', lots: 30, price: 10, date: '2026-05-05' },
    ]);
    expect(c.legs[0]).toMatchObject({ quantity: 1950, orders: 2 });
    expect(c.brokerage).toBe('40.00');
  });

  it('a short exercised leg (assignment) pays no exercise STT', () => {
    const c = computeCosts([
      { instrument: 'NIFTY', kind: 'option', side: 'SELL', lots: 1, price: 42.35, date: '2026-04-28', exercise: true },
    ]);
    expect(c.stt).toBe('0.00');
  });

  it('uses the quoted spread and volume share when given', () => {
    // spread 0.20, 10 lots NIFTY = 650 units, volume 65,000 → share 1%; √0.01 = 0.1
    // per unit = 0.20 × (0.5 + 0.02 × 9 + 0.5 × 0.1) = 0.20 × 0.73 = 0.146; × 650 = 94.90
    const s = estimateSlippage({ kind: 'option', lots: 10, quantity: 650, price: 100, spread: '0.20', volume: 65_000 });
    expect(s.toFixed(2)).toBe('94.90');
  });

  it('names the bad field', () => {
    expect(() =>
      computeCosts([{ instrument: 'NIFTY', kind: 'option', side: 'BUY', lots: 1.5, price: 1, date: '2026-05-05' }]),
    ).toThrow('legs[0].lots');
    expect(ratesOn('2026-03-31').sttOptionSell).toBe('0.001');
    expect(ratesOn('2026-04-01').sttOptionSell).toBe('0.0015');
  });
});

const legArb: fc.Arbitrary<CostLeg> = fc
  .record({
    instrument: fc.constantFrom('NIFTY' as const, 'BANKNIFTY' as const),
    kind: fc.constantFrom('option' as const, 'future' as const),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    lots: fc.integer({ min: 1, max: 200 }),
    price: fc.integer({ min: 0, max: 6_000_000 }).map((p) => (p / 100).toFixed(2)),
    date: fc.constantFrom('2025-10-06', '2026-03-31', '2026-04-01', '2026-07-15'),
    exercise: fc.boolean(),
  })
  .map((l) => (l.kind === 'future' ? { ...l, exercise: false } : l));

describe('cost properties', () => {
  it('no cost component is ever negative, and the total is their sum', () => {
    fc.assert(
      fc.property(fc.array(legArb, { minLength: 1, maxLength: 4 }), (legs) => {
        const c = computeCosts(legs);
        let sum = new Decimal(0);
        for (const k of COST_COMPONENTS) {
          expect(new Decimal(c[k]).isNegative()).toBe(false);
          expect(c[k]).toMatch(/^\d+\.\d{2}$/);
          sum = sum.plus(c[k]);
        }
        expect(sum.toFixed(2)).toBe(c.total);
        expect(new Decimal(c.stt).isInteger()).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('the refusal boundary sits exactly at netEv = 0', () => {
    fc.assert(
      fc.property(fc.array(legArb, { minLength: 1, maxLength: 3 }), (legs) => {
        const total = computeCosts(legs).total;
        expect(evaluateNetEv(total, total)).toMatchObject({
          accept: false,
          reasonCode: 'NET_EV_NON_POSITIVE',
          numbers: { netEv: '0.00' },
        });
        expect(evaluateNetEv(new Decimal(total).plus('0.01'), total)).toMatchObject({
          accept: true,
          reasonCode: null,
          numbers: { netEv: '0.01' },
        });
        expect(evaluateNetEv(new Decimal(total).minus('0.01'), total).accept).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});

describe('tail hedge budget', () => {
  it('judges a hedge by monthly spend against a share of capital, not by EV', () => {
    // capital 10,00,000 × 0.5% = 5,000 budget; 3,200 spent + 1,500 = 4,700 → within
    expect(
      evaluateHedgeBudget({ capital: '1000000', monthSpendSoFar: '3200', hedgeCost: '1500', maxMonthlyShare: '0.005' }),
    ).toMatchObject({
      accept: true,
      numbers: { budget: '5000.00', spendAfter: '4700.00' },
    });
    // + 1,800.01 → 5,000.01 > 5,000 → refused
    expect(
      evaluateEconomics({
        purpose: 'tail-hedge',
        capital: '1000000',
        monthSpendSoFar: '3200',
        hedgeCost: '1800.01',
        maxMonthlyShare: '0.005',
      }),
    ).toMatchObject({ accept: false, reasonCode: 'HEDGE_BUDGET_EXCEEDED' });
    expect(evaluateEconomics({ purpose: 'alpha', expectedPnl: '-10', totalCosts: '36.41' })).toMatchObject({
      accept: false,
      numbers: { netEv: '-46.41' },
    });
  });
});
