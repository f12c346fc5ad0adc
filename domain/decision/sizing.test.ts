import { buildChain } from '../market/chain';
import { simulateDay, snapshotAt } from '../market';
import { buildStructure } from '../strategies/templates';
import type { Structure } from '../strategies/types';
import { structureParams, withoutFactors } from './decide';
import { DEFAULT_TENANT_LIMITS } from './limits';
import { lossBudget, worstLossPerLot } from './loss-budget';
import { legLotsPerLot, sizeStructure } from './sizing';

const chain = buildChain(snapshotAt(simulateDay({ instrument: 'NIFTY', date: '2026-03-10', seed: 3 }), '11:00'));
const spread = (buildStructure(chain, { kind: 'BEAR_CALL_SPREAD' }) as { ok: true; structure: Structure }).structure;
const portfolio = {
  freeCapital: '100000000.00',
  equity: '100000000.00',
  peakEquity: '100000000.00',
  dayPnl: '0.00',
  lotsTradedToday: 0,
  netDelta: 0,
  netVega: 0,
};

describe('sizing within the tenant limits', () => {
  const lossPerLot = Number(spread.maxLossPerUnit) * spread.lotSize;

  it('takes the tightest of per-order cap, lots left today, capital at risk and the day’s loss headroom', () => {
    const s = sizeStructure(spread, DEFAULT_TENANT_LIMITS, portfolio);
    const byLoss = Math.floor(25_000 / worstLossPerLot(spread).toNumber());
    expect(s.numbers.lotsByLossHeadroom).toBe(byLoss);
    expect(s.lots).toBe(Math.max(1, Math.min(10, byLoss)));
  });

  it('a loss eats the headroom: after a 24,000 loss only what 1,000 rupees cover', () => {
    const s = sizeStructure(spread, DEFAULT_TENANT_LIMITS, { ...portfolio, dayPnl: '-24000.00' });
    expect(s.numbers.lossHeadroom).toBe('1000.00');
    expect(s.numbers.lotsByLossHeadroom).toBe(Math.floor(1000 / worstLossPerLot(spread).toNumber()));
  });

  it('what is open counts: 25,000 − 3,000 lost − 20,000 the open book can lose leaves 2,000 for the new trade', () => {
    const perLot = worstLossPerLot(spread).toNumber();
    // The spread crossed in and out is part of a lot's worst loss.
    const crossing = spread.legs.reduce((s, l) => s + (l.ask - l.bid), 0) * spread.lotSize;
    expect(perLot).toBeCloseTo(lossPerLot + crossing, 2);
    const s = sizeStructure(spread, DEFAULT_TENANT_LIMITS, { ...portfolio, dayPnl: '-3000.00', openRisk: '20000.00' });
    expect(s.numbers).toMatchObject({ lossHeadroom: '2000.00', lotsByLossHeadroom: Math.floor(2000 / perLot) });
    expect(lossBudget(DEFAULT_TENANT_LIMITS, { ...portfolio, openRisk: null }).toNumber()).toBe(0);
    expect(sizeStructure(spread, DEFAULT_TENANT_LIMITS, { ...portfolio, openRisk: null }).numbers.allowed).toBe(0);
  });

  it('proposes one lot when no limit allows any, for the castle to refuse with its numbers', () => {
    const s = sizeStructure(spread, DEFAULT_TENANT_LIMITS, { ...portfolio, lotsTradedToday: 40 });
    expect(s.numbers.allowed).toBe(0);
    expect(s.lots).toBe(1);
  });
});

describe('strike choice as template parameters', () => {
  const choice = {
    source: 'strike_selector' as const,
    widthZ: 1,
    shortDelta: 0.16,
    expectedPnlPct: 0.1,
    model: null,
    reason: null,
  };
  it('gives the short delta to the delta-targeting templates only', () => {
    expect(structureParams('IRON_CONDOR', choice)).toEqual({ kind: 'IRON_CONDOR', shortDelta: 0.16 });
    expect(structureParams('LONG_STRANGLE', choice)).toEqual({ kind: 'LONG_STRANGLE', delta: 0.16 });
    expect(structureParams('LONG_STRADDLE', choice)).toEqual({ kind: 'LONG_STRADDLE' });
    expect(structureParams('IRON_CONDOR', { ...choice, shortDelta: null })).toEqual({ kind: 'IRON_CONDOR' });
  });
});

describe('exposure and switched-off factors', () => {
  it('caps lots by the open leg-lots left, and still proposes one lot when none is left', () => {
    expect(legLotsPerLot(spread)).toBe(2);
    // 15 leg-lots left of 20 → 7 two-leg lots.
    const s = sizeStructure(spread, DEFAULT_TENANT_LIMITS, portfolio, { openLots: 5, maxOpenLots: 20 });
    expect(s.numbers.lotsByExposure).toBe(7);
    expect(s.lots).toBe(Math.min(7, Number(s.numbers.lotsByLossHeadroom), 10));
    const full = sizeStructure(spread, DEFAULT_TENANT_LIMITS, portfolio, { openLots: 20, maxOpenLots: 20 });
    expect(full.numbers).toMatchObject({ lotsByExposure: 0, allowed: 0 });
    expect(full.lots).toBe(1);
  });

  it('gives a switched-off factor to the stack as missing and leaves the others alone', () => {
    const values = { a: 1, b: 2, c: null };
    expect(withoutFactors(values, ['b', 'zz'])).toEqual({ a: 1, b: null, c: null });
    expect(withoutFactors(values, [])).toBe(values);
    expect(values.b).toBe(2);
  });
});
