import { simulatedSnapshot, tenantRiskView } from '../../activities/decision-inputs';
import { PAPER_DEFAULT_CAPITAL } from '../../broker/paper/paper-broker';
import { formatTradingsymbol } from '../../broker/tradingsymbol';
import { worstLossPerLot } from '../../domain/decision/loss-budget';
import { Rng } from '../../domain/random';
import type { TenantRiskRecord } from '../../db/tenant-risk-state';
import { baselineEntry, parseBacktest } from './backtest';

const ok = { from: '2026-05-04', to: '2026-05-08', instrument: 'nifty', seeds: '1, 2,3', cadence: '15' };

describe('qs backtest flags', () => {
  it('reads a range, an instrument, seeds and a cadence', () => {
    expect(parseBacktest(ok)).toEqual({
      from: '2026-05-04',
      to: '2026-05-08',
      instrument: 'NIFTY',
      seeds: [1, 2, 3],
      cadenceMinutes: 15,
    });
  });

  it('names the bad flag', () => {
    expect(() => parseBacktest({ ...ok, to: '2026-05-01' })).toThrow(/^--to: 2026-05-01 is before --from/);
    expect(() => parseBacktest({ ...ok, from: '2026-5-4' })).toThrow(/^--from: expected a date/);
    expect(() => parseBacktest({ ...ok, from: '2026-01-26', to: '2026-01-26' })).toThrow(/no NSE trading day/);
    expect(() => parseBacktest({ ...ok, seeds: '1,x' })).toThrow(/^--seeds: expected 1 to 20/);
    expect(() => parseBacktest({ ...ok, instrument: 'SENSEX' })).toThrow(/^--instrument: expected one of/);
    expect(() => parseBacktest({ ...ok, cadence: '0' })).toThrow(/^--cadence/);
    expect(() => parseBacktest({ ...ok, trainThrough: '2026-05-04' })).toThrow(
      /^--train-through: 2026-05-04 is not before --from 2026-05-04/,
    );
    expect(() => parseBacktest({ ...ok, trainThrough: 'May' })).toThrow(/^--train-through: expected a date/);
  });

  it('trains in process on data that ends before the window', () => {
    expect(parseBacktest({ ...ok, trainThrough: '2026-04-30' })).toMatchObject({ trainThrough: '2026-04-30' });
  });
});

describe('the baseline policy goes through the same castle as the engine', () => {
  const snapshot = simulatedSnapshot('NIFTY', '2026-05-05T11:00:00+05:30', 7);
  const strikes = {
    source: 'fallback' as const,
    widthZ: null,
    shortDelta: null,
    expectedPnlPct: null,
    model: null,
    reason: 'test',
  };
  const record: TenantRiskRecord = {
    status: 'active',
    reconciliationClean: true,
    killSwitches: [],
    cash: PAPER_DEFAULT_CAPITAL,
    positions: [],
    realisedToday: '0.00',
    lotsToday: 0,
  };
  const entry = (r: Partial<typeof record> = {}, seed = 'b') =>
    baselineEntry({
      pick: new Rng(seed),
      snapshot,
      strikes,
      tenant: tenantRiskView({ ...record, ...r }, snapshot),
      regime: 'calm',
    })!;

  it('a fresh book: a random structure sized so its worst case fits the day’s loss limit', () => {
    const e = entry();
    expect(e.refused).toBeNull();
    expect(e.lots).toBeGreaterThanOrEqual(1);
    expect(e.lots * worstLossPerLot(e.structure).toNumber()).toBeLessThanOrEqual(25_000);
    expect(entry().structure.kind).toBe(e.structure.kind);
  });

  it('refused by the loss wall once the day has lost its limit, and by the kill switch', () => {
    expect(entry({ realisedToday: '-25000.00' }).refused).toBe('loss-limits');
    const killed = entry({ killSwitches: [{ scope: 'tenant', target: '*', reason: 'test' }] });
    expect(killed.refused).toBe('kill-switch');
  });

  it('refused by the loss wall while a naked short call is open (its loss has no bound)', () => {
    const e = snapshot.chain.expiries[0]!;
    const call = formatTradingsymbol({ instrument: 'NIFTY', expiry: e.expiry, strike: e.atmStrike, type: 'call' });
    expect(entry({ positions: [{ tradingsymbol: call, quantity: -75, averagePrice: '100.00' }] }).refused).toBe(
      'loss-limits',
    );
  });
});
