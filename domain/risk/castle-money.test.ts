import fc from 'fast-check';
import { capitalWall, capitalWallDecimal, capitalWallPaise } from './walls/capital';
import { lossLimitsWall, lossLimitsWallDecimal, lossLimitsWallPaise } from './walls/loss-limits';
import type { CastleInput, RiskProposal } from './types';

/**
 * Rupee amounts as the castle receives them: 0–2 decimals (sometimes 3), signed,
 * up to ₹10 lakh crore (BigInt territory).
 */
const amount = (min: number, max: number) =>
  fc
    .tuple(fc.integer({ min, max }), fc.integer({ min: 0, max: 999 }), fc.constantFrom(0, 1, 2, 2, 2, 2, 2, 3))
    .map(([r, p, places]) => {
      const sign = r < 0 ? '-' : '';
      const abs = Math.abs(r);
      // 3 decimals is not whole paise: the decimal wall answers.
      return places === 0 ? `${sign}${abs}` : `${sign}${abs}.${String(p).padStart(3, '0').slice(0, places)}`;
    });
const big = fc.oneof(amount(-1e6, 1e7), amount(-1e13, 1e13));
const share = fc
  .tuple(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 12 }))
  .map(([u, scale]) => (scale === 0 ? String(u % 3) : (u / 10 ** scale).toFixed(scale)));

const inputArb: fc.Arbitrary<CastleInput> = fc
  .record({
    intent: fc.constantFrom('open' as const, 'close' as const),
    maxLoss: fc.option(amount(0, 1e8), { nil: null }),
    marginRequired: amount(0, 1e8),
    freeCapital: big,
    equity: big,
    peakEquity: fc.oneof(big, fc.constant('0')),
    dayPnl: amount(-1e7, 1e7),
    // undefined: not given; null: an unbounded open book.
    openRisk: fc.option(fc.option(amount(0, 1e7), { nil: null }), { nil: undefined }),
    maxCapitalAtRiskShare: share,
    maxDailyLoss: amount(0, 1e7),
    maxDrawdownShare: share,
  })
  .map((r) => ({
    proposal: { intent: r.intent, maxLoss: r.maxLoss, marginRequired: r.marginRequired } as RiskProposal,
    portfolio: {
      freeCapital: r.freeCapital,
      equity: r.equity,
      peakEquity: r.peakEquity,
      dayPnl: r.dayPnl,
      ...(r.openRisk !== undefined ? { openRisk: r.openRisk } : {}),
      lotsTradedToday: 0,
      netDelta: 0,
      netVega: 0,
    },
    market: { date: '2026-05-05', timestamp: '2026-05-05T11:00:00+05:30', regime: 'calm', halted: false },
    limits: {
      killSwitch: false,
      maxLotsPerOrder: 10,
      maxLotsPerDay: 40,
      maxCapitalAtRiskShare: r.maxCapitalAtRiskShare,
      maxDailyLoss: r.maxDailyLoss,
      maxDrawdownShare: r.maxDrawdownShare,
      maxNetDelta: 500,
      maxNetVega: 5000,
      blackoutWindows: [],
      expiryShortGammaCutoff: '13:30',
    },
  }));

describe("the castle's money in integer paise equals the decimal walls", () => {
  it('capital wall: limit, margin and capital at risk, to the paisa and the same verdict', () => {
    let integer = 0;
    fc.assert(
      fc.property(inputArb, (input) => {
        expect(capitalWall(input)).toEqual(capitalWallDecimal(input));
        if (capitalWallPaise(input)) integer++;
      }),
      { numRuns: 5000 },
    );
    expect(integer).toBeGreaterThan(2500); // the integer path answered most cases itself
  });

  it('loss-limits wall: headroom, drawdown to 6 d.p. and the same verdict', () => {
    let integer = 0;
    fc.assert(
      fc.property(inputArb, (input) => {
        expect(lossLimitsWall(input)).toEqual(lossLimitsWallDecimal(input));
        if (lossLimitsWallPaise(input)) integer++;
      }),
      { numRuns: 5000 },
    );
    expect(integer).toBeGreaterThan(2000);
  });

  it('the boundaries: a loss exactly at the limit, drawdown exactly at the share, a half-paisa limit', () => {
    const base = fc.sample(inputArb, { numRuns: 1, seed: 1 })[0]!;
    const at = (p: Partial<CastleInput['portfolio']>, l: Partial<CastleInput['limits']>, maxLoss = '100.00') => {
      const input: CastleInput = {
        ...base,
        proposal: { ...base.proposal, intent: 'open', maxLoss, marginRequired: '100.00' },
        portfolio: { ...base.portfolio, ...p },
        limits: { ...base.limits, ...l },
      };
      const loss = lossLimitsWallPaise(input);
      const capital = capitalWallPaise(input);
      expect(loss).toEqual(lossLimitsWallDecimal(input));
      expect(capital).toEqual(capitalWallDecimal(input));
      return { loss: loss!, capital: capital! };
    };
    const calm = { dayPnl: '0', equity: '1000000', peakEquity: '1000000', freeCapital: '1000000' };
    expect(at({ ...calm, dayPnl: '-25000' }, { maxDailyLoss: '25000.00' }).loss.reasonCode).toBe('DAILY_LOSS_LIMIT');
    // 25,000 − 4,000 lost − 20,900 the open book can still lose = 100.00: a 100.00 max loss fits, 100.01 does not.
    const open = { ...calm, dayPnl: '-4000', openRisk: '20900.00' };
    expect(at(open, { maxDailyLoss: '25000' }).loss).toMatchObject({ pass: true, numbers: { lossBudget: '100.00' } });
    expect(at(open, { maxDailyLoss: '25000' }, '100.01').loss.reasonCode).toBe('DAILY_LOSS_HEADROOM');
    expect(at({ ...calm, openRisk: null }, { maxDailyLoss: '25000' }, '0.01').loss).toMatchObject({
      reasonCode: 'DAILY_LOSS_HEADROOM',
      numbers: { openRisk: null, lossBudget: null },
    });
    // (1,000,000 − 900,000) / 1,000,000 = 0.1 exactly: at the limit is refused.
    const dd = at({ ...calm, equity: '900000' }, { maxDailyLoss: '25000', maxDrawdownShare: '0.1' });
    expect(dd.loss).toMatchObject({ reasonCode: 'DRAWDOWN_LIMIT', numbers: { drawdown: '0.1' } });
    // ₹1,000.01 × 0.005 = ₹5.00005 → limit ₹5.00; a ₹5.00 max loss fits, ₹5.01 does not.
    const half = { ...calm, freeCapital: '1000.01' };
    expect(at(half, { maxCapitalAtRiskShare: '0.005', maxDailyLoss: '25000' }, '5.00').capital.pass).toBe(true);
    expect(at(half, { maxCapitalAtRiskShare: '0.005', maxDailyLoss: '25000' }, '5.01').capital).toMatchObject({
      reasonCode: 'CAPITAL_AT_RISK_EXCEEDED',
      numbers: { capitalAtRiskLimit: '5.00' },
    });
    // ₹1,000.10 × 0.005 = ₹5.0005 → ₹5.00 as well; ₹1,001 × 0.005 = ₹5.005 → half up ₹5.01.
    expect(at({ ...calm, freeCapital: '1001' }, { maxCapitalAtRiskShare: '0.005' }).capital.numbers).toMatchObject({
      capitalAtRiskLimit: '5.01',
    });
  });
});
