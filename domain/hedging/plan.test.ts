import { createSource } from '../market/source';
import { simulateDay } from '../market/simulator';
import { EQUIVALENT_DELTA, planHedgeRoll, type HedgeSettingsView, type HeldPut } from './plan';
import { insideRollWindow, nextEligibleExpiry, tradingDaysToExpiry } from './roll-window';

// 2026-05-06 is a Wednesday; NIFTY weeklies expire on Tuesdays: 05-12, 05-19, 05-26, 06-02.
const DATE = '2026-05-06';
const chain = createSource(simulateDay({ instrument: 'NIFTY', date: DATE, seed: 11, regime: 'calm' })).chainAt('11:00');
const SETTINGS: HedgeSettingsView = { instrument: 'NIFTY', targetDelta: 5, windowDays: 5, budgetPct: '2', lots: 1 };

function held(expiry: string, lots = 1): HeldPut {
  const e = chain.expiries.find((x) => x.expiry === expiry)!;
  const strike = e.atmStrike - 20 * chain.strikeStep;
  return { tradingsymbol: `P-${expiry}-${strike}`, expiry, strike, quantity: lots * chain.lotSize };
}

describe('roll window', () => {
  it('counts trading days after today up to the expiry', () => {
    expect(tradingDaysToExpiry(DATE, '2026-05-12')).toBe(4);
    expect(tradingDaysToExpiry(DATE, '2026-05-19')).toBe(9);
    expect(tradingDaysToExpiry(DATE, DATE)).toBe(0);
    expect(insideRollWindow(DATE, '2026-05-12', 5)).toBe(true);
    expect(insideRollWindow(DATE, '2026-05-12', 3)).toBe(false);
    expect(insideRollWindow(DATE, '2026-05-05', 5)).toBe(false);
  });

  it('replaces on the first expiry beyond the window', () => {
    expect(nextEligibleExpiry(chain, DATE, 5)?.expiry).toBe('2026-05-19');
    expect(nextEligibleExpiry(chain, DATE, 10)?.expiry).toBe('2026-05-26');
  });
});

describe('planHedgeRoll', () => {
  const base = { date: DATE, chain, settings: SETTINGS, capital: '10000000', spentThisYear: '0' };

  it('buys the cheapest after costs of the puts equivalent to the target delta, and sells the expiring one', () => {
    const plan = planHedgeRoll({ ...base, held: [held('2026-05-12', 2)] });
    expect(plan.action).toBe('roll');
    if (plan.action === 'none') return;
    expect(plan.expiry).toBe('2026-05-19');
    expect(plan.buy.lots).toBe(2);
    expect(plan.buy.structure.legs[0]!.side).toBe('BUY');
    // Within a delta point of 5 delta (or as near as the nearest) by the chain's own skewed deltas,
    // and no equivalent put is cheaper: a further strike's smaller premium wins.
    const e = chain.expiries.find((x) => x.expiry === '2026-05-19')!;
    const otm = e.quotes.filter((q) => q.type === 'put' && q.strike <= e.forward && q.ask > 0);
    const nearest = Math.min(...otm.map((q) => Math.abs(Math.abs(q.delta) - 0.05)));
    const tolerance = Math.max(EQUIVALENT_DELTA, nearest);
    const equivalent = otm.filter((q) => Math.abs(Math.abs(q.delta) - 0.05) <= tolerance);
    expect(equivalent.length).toBeGreaterThan(1);
    expect(Math.abs(Math.abs(plan.buy.delta) - 0.05)).toBeLessThanOrEqual(tolerance);
    expect(plan.buy.price).toBe(Math.min(...equivalent.map((q) => q.ask)));
    expect(plan.sell).toHaveLength(1);
    expect(plan.sell[0]!.structure.legs[0]!.side).toBe('SELL');
    expect(plan.sell[0]!.expiry).toBe('2026-05-12');
    expect(Number(plan.budget.rollCost)).toBeGreaterThan(Number(plan.buy.premium));
  });

  it('does nothing while the hedge is outside the window', () => {
    const plan = planHedgeRoll({ ...base, held: [held('2026-05-19')] });
    expect(plan).toMatchObject({ action: 'none' });
    expect(plan.reason).toMatch(/outside the 5-trading-day roll window/);
  });

  it('just buys when there is no hedge yet', () => {
    const plan = planHedgeRoll({ ...base, held: [] });
    expect(plan).toMatchObject({ action: 'roll', sell: [], buy: { lots: 1 } });
  });

  it('refuses with the numbers when the year budget is spent', () => {
    const plan = planHedgeRoll({ ...base, held: [held('2026-05-12')], spentThisYear: '199990' });
    expect(plan.action).toBe('refused');
    const budgetLeft = /^HEDGE_BUDGET_EXCEEDED: .* ₹10\.00 of the year's ₹200000\.00 hedge budget is left$/;
    expect(plan.reason).toMatch(budgetLeft);
  });
});
