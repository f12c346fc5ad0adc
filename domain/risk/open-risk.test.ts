import { simulateDay, snapshotAt } from '../market';
import { buildChain } from '../market/chain';
import { quoteAt } from '../strategies/select';
import { openBookRisk, type OpenLeg } from './open-risk';

const chain = buildChain(snapshotAt(simulateDay({ instrument: 'NIFTY', date: '2026-03-10', seed: 3 }), '11:00'));
const e = chain.expiries[0]!;
const k = e.atmStrike;
const q = (strike: number, type: 'call' | 'put') => quoteAt(e, strike, type)!;
const leg = (strike: number, type: 'call' | 'put', quantity: number): OpenLeg => ({
  type,
  strike,
  expiry: e.expiry,
  quantity,
  averagePrice: String(q(strike, type).mid),
});
const halfSpread = (strike: number, type: 'call' | 'put', units: number) =>
  (units * (q(strike, type).ask - q(strike, type).bid)) / 2;
const near = (x: string | null, y: number) => expect(Number(x)).toBeCloseTo(y, 1);

describe('what the open book can still lose', () => {
  const width = 4 * chain.strikeStep;
  const bearCall = [leg(k + 100, 'call', -75), leg(k + 100 + width, 'call', 75)];
  const bullPut = [leg(k - 100, 'put', -75), leg(k - 100 - width, 'put', 75)];
  const callValue = q(k + 100, 'call').mid - q(k + 100 + width, 'call').mid;
  const putValue = q(k - 100, 'put').mid - q(k - 100 - width, 'put').mid;
  const exit = (legs: OpenLeg[]) => legs.reduce((s, l) => s + halfSpread(l.strike, l.type, Math.abs(l.quantity)), 0);

  it('a credit spread: the width less what buying it back costs now, plus the half spreads', () => {
    near(openBookRisk(bearCall, chain), (width - callValue) * 75 + exit(bearCall));
  });

  it('a condor: only one side can finish in the money, so one wing, not two', () => {
    const condor = [...bullPut, ...bearCall];
    const oneWing = Math.max(width - callValue - putValue, 0) * 75;
    near(openBookRisk(condor, chain), oneWing + exit(condor));
    expect(Number(openBookRisk(condor, chain))).toBeLessThan(
      Number(openBookRisk(bullPut, chain)) + Number(openBookRisk(bearCall, chain)),
    );
  });

  it('two spreads on the same strikes lose twice as much', () => {
    const twice = bearCall.map((l) => ({ ...l, quantity: 2 * l.quantity }));
    near(openBookRisk(twice, chain), 2 * Number(openBookRisk(bearCall, chain)));
  });

  it('a long put loses at most its value; a naked short call without bound; nothing open, nothing', () => {
    const put = [leg(k, 'put', 150)];
    near(openBookRisk(put, chain), q(k, 'put').mid * 150 + exit(put));
    expect(openBookRisk([leg(k + 100, 'call', -75)], chain)).toBeNull();
    expect(openBookRisk([], chain)).toBe('0.00');
  });

  it('a calendar keeps the far leg’s time value: less than its debit, more than nothing', () => {
    const far = chain.expiries[1]!;
    const farCall = quoteAt(far, k, 'call')!;
    const calendar: OpenLeg[] = [
      leg(k, 'call', -75),
      { type: 'call', strike: k, expiry: far.expiry, quantity: 75, averagePrice: String(farCall.mid) },
    ];
    const debit = (farCall.mid - q(k, 'call').mid) * 75;
    const risk = Number(openBookRisk(calendar, chain));
    expect(risk).toBeGreaterThan(0);
    expect(risk).toBeLessThanOrEqual(debit + 75 * (farCall.ask - farCall.bid + q(k, 'call').ask - q(k, 'call').bid));
  });
});
