import { Decimal } from '../money';
import { createSource } from '../market/source';
import { simulateDay } from '../market/simulator';
import { computeCosts } from '../costs/engine';
import { structureCostLegs, structureRupees } from './economics';
import { buildStructure, payoffAtExpiry } from './templates';
import { STRUCTURE_KINDS, type Structure, type StructureParams } from './types';

const chain = createSource(simulateDay({ instrument: 'NIFTY', date: '2026-05-05', seed: 21, regime: 'calm' })).chainAt(
  '11:00',
);

function build(params: StructureParams): Structure {
  const r = buildStructure(chain, params);
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
  return r.structure;
}

/** Min and max payoff at expiry over a grid fine enough to hit every strike. */
function payoffRange(s: Structure): { min: Decimal; max: Decimal } {
  const strikes = s.legs.map((l) => l.strike);
  const lo = Math.min(...strikes) - 2000;
  const hi = Math.max(...strikes) + 2000;
  let min = new Decimal(Infinity);
  let max = new Decimal(-Infinity);
  for (let x = Math.max(lo, 0); x <= hi; x += 10) {
    const p = new Decimal(payoffAtExpiry(s, x));
    if (p.lessThan(min)) min = p;
    if (p.greaterThan(max)) max = p;
  }
  return { min, max };
}

describe('strategy templates', () => {
  it('every kind builds from a simulated chain', () => {
    for (const kind of STRUCTURE_KINDS) {
      const r = buildStructure(chain, { kind } as StructureParams);
      expect(r.ok).toBe(true);
    }
  });

  it('knows which structures are short volatility and short gamma', () => {
    const flags = Object.fromEntries(
      STRUCTURE_KINDS.map((kind) => {
        const s = build({ kind } as StructureParams);
        return [kind, [s.shortVolatility, s.shortGamma]];
      }),
    );
    expect(flags).toEqual({
      BULL_PUT_SPREAD: [true, true],
      BEAR_CALL_SPREAD: [true, true],
      IRON_CONDOR: [true, true],
      IRON_BUTTERFLY: [true, true],
      LONG_STRADDLE: [false, false],
      LONG_STRANGLE: [false, false],
      CALENDAR_SPREAD: [false, true],
      PROTECTIVE_PUT: [false, false],
    });
    // The greeks agree with the labels: short-vol structures are net short vega.
    expect(build({ kind: 'IRON_CONDOR' }).greeks.vega).toBeLessThan(0);
    expect(build({ kind: 'LONG_STRADDLE' }).greeks.gamma).toBeGreaterThan(0);
    expect(build({ kind: 'CALENDAR_SPREAD' }).greeks.vega).toBeGreaterThan(0);
  });

  it('bull put spread: sells the ~25-delta put, buys 4 strikes lower, loss bounded by width − credit', () => {
    const s = build({ kind: 'BULL_PUT_SPREAD', shortDelta: 0.25, widthStrikes: 4 });
    expect(s.legs.map((l) => [l.side, l.type])).toEqual([
      ['SELL', 'put'],
      ['BUY', 'put'],
    ]);
    const [short, long] = s.legs as [Structure['legs'][0], Structure['legs'][0]];
    expect(Math.abs(short.delta)).toBeGreaterThan(0.18);
    expect(Math.abs(short.delta)).toBeLessThan(0.32);
    expect(short.strike - long.strike).toBe(200);
    expect(s.nearestExpiry).toBe('2026-05-12'); // minDaysToExpiry 1 skips the same-day weekly
    const credit = new Decimal(short.mid).minus(long.mid);
    expect(s.netPremium).toBe(credit.toFixed(2));
    expect(s.maxLossPerUnit).toBe(new Decimal(200).minus(credit).toFixed(2));
    expect(s.maxProfitPerUnit).toBe(credit.toFixed(2));
  });

  it.each(['BULL_PUT_SPREAD', 'BEAR_CALL_SPREAD', 'IRON_CONDOR', 'IRON_BUTTERFLY', 'PROTECTIVE_PUT'] as const)(
    '%s: closed-form max loss and max profit equal the extremes of the expiry payoff',
    (kind) => {
      const s = build({ kind } as StructureParams);
      const { min, max } = payoffRange(s);
      expect(min.negated().toFixed(2)).toBe(s.maxLossPerUnit);
      if (kind === 'PROTECTIVE_PUT') expect(payoffAtExpiry(s, 0)).toBe(s.maxProfitPerUnit);
      else expect(max.toFixed(2)).toBe(s.maxProfitPerUnit);
    },
  );

  it.each(['LONG_STRADDLE', 'LONG_STRANGLE'] as const)('%s: loses at most the debit, profit unbounded', (kind) => {
    const s = build({ kind });
    expect(new Decimal(s.netPremium).isNegative()).toBe(true);
    expect(s.maxLossPerUnit).toBe(new Decimal(s.netPremium).negated().toFixed(2));
    expect(s.maxProfitPerUnit).toBeNull();
    expect(payoffRange(s).min.negated().toFixed(2)).toBe(s.maxLossPerUnit);
  });

  it('calendar spread: sells the near expiry, buys the next, same strike; max loss is the debit', () => {
    const s = build({ kind: 'CALENDAR_SPREAD', expiry: '2026-05-12' });
    expect(s.legs.map((l) => [l.side, l.expiry, l.strike])).toEqual([
      ['SELL', '2026-05-12', s.legs[0]!.strike],
      ['BUY', '2026-05-19', s.legs[0]!.strike],
    ]);
    expect(s.maxLossPerUnit).toBe(new Decimal(s.netPremium).negated().toFixed(2));
    expect(s.maxProfitIsEstimate).toBe(true);
    expect(new Decimal(s.maxProfitPerUnit!).greaterThan(0)).toBe(true);
  });

  it('protective put is the ~5-delta tail hedge', () => {
    const s = build({ kind: 'PROTECTIVE_PUT', minDaysToExpiry: 5 });
    expect(s.legs).toHaveLength(1);
    expect(s.nearestExpiry).toBe('2026-05-12');
    expect(Math.abs(s.legs[0]!.delta)).toBeGreaterThan(0.025);
    expect(Math.abs(s.legs[0]!.delta)).toBeLessThan(0.09);
  });

  it('in rupees for a number of lots, and costed through the cost engine', () => {
    const s = build({ kind: 'IRON_CONDOR' });
    const r = structureRupees(s, 3);
    expect(r.quantity).toBe(195);
    expect(r.maxLoss).toBe(new Decimal(s.maxLossPerUnit).times(195).toFixed(2));
    expect(r.netPremium).toBe(new Decimal(s.netPremium).times(195).toFixed(2));
    const legs = structureCostLegs(s, 3);
    expect(legs).toHaveLength(4);
    const costs = computeCosts(legs);
    expect(costs.brokerage).toBe('80.00'); // four legs, one order each
  });

  it('refuses bad parameters and missing expiries with a reason', () => {
    expect(buildStructure(chain, { kind: 'BULL_PUT_SPREAD', shortDelta: 0.7 })).toMatchObject({
      ok: false,
      reason: 'BAD_PARAMS',
    });
    expect(buildStructure(chain, { kind: 'IRON_CONDOR', expiry: '2026-05-13' })).toMatchObject({
      ok: false,
      reason: 'NO_EXPIRY',
    });
    expect(buildStructure(chain, { kind: 'IRON_CONDOR', widthStrikes: 500 })).toMatchObject({
      ok: false,
      reason: 'NO_STRIKE',
    });
    // @ts-expect-error the union is closed: there is no naked short put template
    const naked: StructureParams = { kind: 'NAKED_PUT' };
    expect(buildStructure(chain, naked)).toMatchObject({ ok: false, reason: 'BAD_PARAMS' });
  });
});
