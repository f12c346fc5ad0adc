/**
 * The tenant_profile estimator with numbers: with no real trades it is the synthetic prior; real
 * trades pull it towards the tenant's own values at REAL_WEIGHT each while the whole synthetic
 * population counts as PRIOR_TRADES trades of weight 1; the holdout metric; ledger legs paired
 * into closed trades.
 */
import type { ClosedTradeLeg } from '../../db/closed-trades';
import { simulatorRows } from '../data/datasets';
import { REAL_WEIGHT, SYNTHETIC_WEIGHT, toExamples, type Example } from '../data/rule1';
import { closedTradeFacts, profileRow, PROFILE_FEATURES, type TradeFacts } from '../data/tenant-trades';
import { trainFromRows } from '.';
import { estimateProfile, PRIOR_TRADES, shrink, sizeSkill } from './tenant-profile';

const schema = { features: [...PROFILE_FEATURES], output: 'tenant_profile' };
const trade = (over: Partial<TradeFacts> = {}): TradeFacts => ({
  date: '2026-05-04',
  structure: 'IRON_CONDOR',
  lots: 4,
  holdMinutes: 60,
  netPnl: 1000,
  ...over,
});
const examples = (origin: 'real' | 'synthetic', trades: readonly TradeFacts[]): Example[] =>
  toExamples(
    trades.map((t) => profileRow(origin, t)),
    schema,
  );

describe('tenant_profile shrinkage estimator', () => {
  const population = examples('synthetic', [
    trade({ lots: 2, holdMinutes: 30, netPnl: -600, structure: 'BULL_PUT_SPREAD' }),
    trade({ lots: 4, holdMinutes: 60, netPnl: 500 }),
    trade({ lots: 6, holdMinutes: 90, netPnl: -1800 }),
  ]);

  it('cold start: no real trades, the profile is the synthetic population (the prior)', () => {
    const p = estimateProfile(population);
    expect(p.typicalLots).toBe(4);
    expect(p.holdMinutes).toBe(60);
    // Loss per lot over the losing trades only: 600/2 and 1800/6.
    expect(p.lossPerLot).toBe(300);
    expect(p.prior).toEqual({ typicalLots: 4, lossPerLot: 300, holdMinutes: 60 });
    expect(p.structureShares.IRON_CONDOR).toBeCloseTo(2 / 3, 12);
    expect(p.structureShares.BULL_PUT_SPREAD).toBeCloseTo(1 / 3, 12);
    expect(p.evidence).toMatchObject({ realTrades: 0, syntheticTrades: 3, realWeight: 0, tenantShare: 0 });
  });

  it('many real trades pull it to the tenant’s own values', () => {
    const real = examples(
      'real',
      Array.from({ length: 200 }, (_, i) =>
        trade({ lots: 1, holdMinutes: 20, netPnl: i % 2 ? -100 : 300, structure: 'LONG_STRADDLE' }),
      ),
    );
    const p = estimateProfile([...population, ...real]);
    // (20·4 + 3·200·1) / (20 + 3·200) = 680 / 620
    expect(p.typicalLots).toBeCloseTo(680 / 620, 12);
    expect(p.holdMinutes).toBeCloseTo((20 * 60 + 600 * 20) / 620, 12);
    // 100 losers at 100 a lot: (20·300 + 3·100·100) / (20 + 300)
    expect(p.lossPerLot).toBeCloseTo((20 * 300 + 300 * 100) / 320, 12);
    expect(p.structureShares.LONG_STRADDLE).toBeGreaterThan(0.95);
    const shares = Object.values(p.structureShares).reduce((a, b) => a + b, 0);
    expect(shares).toBeCloseTo(1, 12);
    expect(p.evidence.tenantShare).toBeCloseTo(600 / 620, 12);
  });

  it('synthetic trades weigh below real ones: the population counts as PRIOR_TRADES trades of weight 1', () => {
    expect(REAL_WEIGHT).toBeGreaterThan(SYNTHETIC_WEIGHT);
    expect(PRIOR_TRADES).toBe(20);
    const real = examples(
      'real',
      Array.from({ length: 10 }, () => trade({ lots: 8 })),
    );
    // 10 real trades: 30 of weight against the prior's 20, so 60 % the tenant's: 0.4·4 + 0.6·8.
    const p = estimateProfile([...population, ...real]);
    expect(p.evidence.tenantShare).toBeCloseTo(0.6, 12);
    expect(p.typicalLots).toBeCloseTo(6.4, 12);
    // A thousand times more synthetic trades with the same mean change nothing: the prior's weight is fixed.
    const big = Array.from({ length: 1000 }, () => population).flat();
    expect(estimateProfile([...big, ...real]).typicalLots).toBeCloseTo(6.4, 12);
    // One real trade moves the estimate three times as far as a synthetic one would at weight 1.
    expect(shrink(4, [8]) - 4).toBeCloseTo((3 * 4) / 23, 12);
    expect(shrink(4, [8]) - 4).toBeGreaterThan((20 * 4 + 8) / 21 - 4);
  });

  it('refuses to estimate without a synthetic prior', () => {
    expect(() => estimateProfile(examples('real', [trade()]))).toThrow(/no synthetic persona trades/);
  });

  it('holdout size skill: against the prior on held-out real trades, else against one lot', () => {
    const prior = { typicalLots: 4, lossPerLot: 300, holdMinutes: 60 };
    const held = [
      ...examples('real', [trade({ lots: 1 }), trade({ lots: 3 })]),
      ...examples('synthetic', [trade({ lots: 50 })]),
    ];
    // Real lots 1 and 3: MSE of the prior 4 is (9 + 1)/2 = 5; of a typical 2, 1; of 4, the prior's own.
    expect(sizeSkill({ typicalLots: 2, prior }, held)).toBeCloseTo(1 - 1 / 5, 12);
    expect(sizeSkill({ typicalLots: 4, prior }, held)).toBeCloseTo(0, 12);
    expect(sizeSkill({ typicalLots: 6, prior }, held)).toBeLessThan(0);
    // Synthetic only (the global version): against one lot. Lots 2 and 6: MSE(1) = 13, MSE(4) = 4.
    const synthetic = examples('synthetic', [trade({ lots: 2 }), trade({ lots: 6 })]);
    expect(sizeSkill({ typicalLots: 4, prior }, synthetic)).toBeCloseTo(1 - 4 / 13, 12);
  });

  it('trains on the persona population (global) and with a tenant’s real rows (its variant)', async () => {
    const synthetic = simulatorRows('tenant_profile', '2026-05-22', 10);
    const global = await trainFromRows('tenant_profile', synthetic);
    const g = JSON.parse(global.artifact.toString()).state;
    expect(global.dataSummary).toMatchObject({ real: 0 });
    expect(g.evidence.realTrades).toBe(0);
    expect(g.typicalLots).toBeGreaterThan(1);
    expect(global.validationMetrics.holdout_size_skill).toBeGreaterThan(0);
    const dates = [...new Set(synthetic.map((r) => r.group))].sort();
    const realRows = Array.from({ length: 40 }, (_, i) =>
      profileRow('real', trade({ date: dates[i % dates.length]!, lots: 1 + (i % 2) })),
    );
    const variant = await trainFromRows('tenant_profile', [...synthetic, ...realRows]);
    const v = JSON.parse(variant.artifact.toString()).state;
    expect(v.typicalLots).toBeLessThan(g.typicalLots);
    expect(Math.abs(v.typicalLots - 1.5)).toBeLessThan(Math.abs(g.typicalLots - 1.5) / 2);
    expect(variant.validationMetrics.holdout_real_rows).toBeGreaterThan(0);
    expect(variant.validationMetrics.holdout_size_skill).toBeGreaterThan(0);
  });
});

describe('closed real trades from ledger legs', () => {
  const at = (hhmm: string) => new Date(`2026-05-04T${hhmm}:00+05:30`);
  const leg = (over: Partial<ClosedTradeLeg>): ClosedTradeLeg => ({
    decisionId: 'd1',
    structure: 'BEAR_CALL_SPREAD',
    instrument: 'NIFTY',
    lots: 2,
    side: 'SELL',
    quantity: 150,
    entryPrice: '100.0000',
    openedAt: at('10:00'),
    entryCosts: '120.50',
    exitCosts: '80.25',
    closePrice: '60.0000',
    closedAt: at('11:30'),
    ...over,
  });

  it('pairs each structure’s legs with their closes: P&L less both placements’ costs, holding time', () => {
    const facts = closedTradeFacts([
      leg({}),
      leg({ side: 'BUY', entryPrice: '40.0000', closePrice: '25.0000', closedAt: at('11:31') }),
      // Still open: a leg with no close leaves its structure out.
      leg({ decisionId: 'd2', closePrice: null, closedAt: null }),
      // Not one of the eight structures (a square-off, a hedge): left out.
      leg({ decisionId: 'd3', structure: 'SQUARE_OFF' }),
    ]);
    // Short 150 at 100 → 60: +6000; long 150 at 40 → 25: −2250; less 120.50 + 80.25.
    expect(facts).toEqual([
      { date: '2026-05-04', structure: 'BEAR_CALL_SPREAD', lots: 2, holdMinutes: 91, netPnl: 3549.25 },
    ]);
  });

  it('a trade without a decision row takes its lots from the fills (NIFTY: 75 a lot in May 2026)', () => {
    const [f] = closedTradeFacts([leg({ lots: null, quantity: 150 })]);
    expect(f!.lots).toBe(2);
  });
});
