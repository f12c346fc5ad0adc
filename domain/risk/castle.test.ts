import { createSource } from '../market/source';
import { simulateDay } from '../market/simulator';
import { buildStructure } from '../strategies/templates';
import type { Structure, StructureParams } from '../strategies/types';
import { evaluateCastle } from './castle';
import { proposalFromStructure } from './proposal';
import type { CastleInput, MarketContext, PortfolioState, RiskProposal, TenantLimits } from './types';
import { WALLS } from './types';

const chain = createSource(simulateDay({ instrument: 'NIFTY', date: '2026-05-05', seed: 21, regime: 'calm' })).chainAt(
  '11:00',
);
const structure = (params: StructureParams): Structure => {
  const r = buildStructure(chain, params);
  if (!r.ok) throw new Error(r.detail);
  return r.structure;
};

const condor: RiskProposal = proposalFromStructure(structure({ kind: 'IRON_CONDOR' }), 2);
const portfolio: PortfolioState = {
  freeCapital: '1000000.00',
  equity: '1000000.00',
  peakEquity: '1020000.00',
  dayPnl: '-2000.00',
  lotsTradedToday: 4,
  netDelta: 0,
  netVega: 0,
};
const market: MarketContext = {
  date: '2026-05-05',
  timestamp: '2026-05-05T11:00:00+05:30',
  regime: 'calm',
  halted: false,
};
const limits: TenantLimits = {
  killSwitch: false,
  maxLotsPerOrder: 10,
  maxLotsPerDay: 40,
  maxCapitalAtRiskShare: '0.05',
  maxDailyLoss: '25000.00',
  maxDrawdownShare: '0.10',
  maxNetDelta: 500,
  maxNetVega: 5000,
  blackoutWindows: [],
  expiryShortGammaCutoff: '13:30',
};
const base: CastleInput = { proposal: condor, portfolio, market, limits };
const outcome = (input: CastleInput, wall: string) => evaluateCastle(input).outcomes.find((o) => o.wall === wall)!;

describe('risk castle', () => {
  it('a modest iron condor in a calm market passes all seven walls, each reporting its numbers', () => {
    const r = evaluateCastle(base);
    expect(r.outcomes.map((o) => o.wall)).toEqual([...WALLS]);
    expect(r.outcomes.filter((o) => !o.pass)).toEqual([]);
    expect(r.pass).toBe(true);
    expect(outcome(base, 'capital').numbers).toMatchObject({
      capitalAtRiskLimit: '50000.00',
      freeCapital: '1000000.00',
      maxLoss: condor.maxLoss,
    });
    expect(outcome(base, 'size').numbers).toMatchObject({ maxLegLots: 2, lotsTodayAfter: 6, freezeQuantity: 1800 });
  });

  it('wall 1: kill switch and halt stop new risk but let closing trades through', () => {
    expect(outcome({ ...base, limits: { ...limits, killSwitch: true } }, 'kill-switch')).toMatchObject({
      pass: false,
      reasonCode: 'KILL_SWITCH_ACTIVE',
    });
    expect(outcome({ ...base, market: { ...market, halted: true } }, 'kill-switch')).toMatchObject({
      pass: false,
      reasonCode: 'TRADING_HALTED',
    });
    const closing = {
      ...base,
      proposal: { ...condor, intent: 'close' as const },
      limits: { ...limits, killSwitch: true },
    };
    expect(outcome(closing, 'kill-switch').pass).toBe(true);
  });

  it('wall 2: no short-vol structure in panic; long vol and hedges still allowed', () => {
    const panic = { ...base, market: { ...market, regime: 'panic' as const } };
    expect(outcome(panic, 'regime')).toMatchObject({ pass: false, reasonCode: 'SHORT_VOL_IN_PANIC' });
    const hedge = proposalFromStructure(structure({ kind: 'PROTECTIVE_PUT' }), 1);
    expect(outcome({ ...panic, proposal: hedge }, 'regime').pass).toBe(true);
    const straddle = proposalFromStructure(structure({ kind: 'LONG_STRADDLE' }), 1);
    expect(outcome({ ...panic, proposal: straddle }, 'regime').pass).toBe(true);
  });

  it('wall 3: lots per order, lots per day and the freeze quantity', () => {
    expect(outcome({ ...base, limits: { ...limits, maxLotsPerOrder: 1 } }, 'size')).toMatchObject({
      pass: false,
      reasonCode: 'LOTS_PER_ORDER_EXCEEDED',
    });
    expect(outcome({ ...base, portfolio: { ...portfolio, lotsTradedToday: 39 } }, 'size')).toMatchObject({
      pass: false,
      reasonCode: 'LOTS_PER_DAY_EXCEEDED',
    });
    // 28 lots × 65 = 1,820 > freeze 1,800
    const big = proposalFromStructure(structure({ kind: 'IRON_CONDOR' }), 28);
    expect(
      outcome({ ...base, proposal: big, limits: { ...limits, maxLotsPerOrder: 100, maxLotsPerDay: 1000 } }, 'size'),
    ).toMatchObject({ pass: false, reasonCode: 'FREEZE_QUANTITY_EXCEEDED', numbers: { maxLegQuantity: 1820 } });
  });

  it('wall 4: max loss against free capital, margin, and unbounded loss', () => {
    expect(outcome({ ...base, limits: { ...limits, maxCapitalAtRiskShare: '0.001' } }, 'capital')).toMatchObject({
      pass: false,
      reasonCode: 'CAPITAL_AT_RISK_EXCEEDED',
    });
    expect(outcome({ ...base, portfolio: { ...portfolio, freeCapital: '1000.00' } }, 'capital')).toMatchObject({
      pass: false,
      reasonCode: 'INSUFFICIENT_MARGIN',
    });
    expect(outcome({ ...base, proposal: { ...condor, maxLoss: null } }, 'capital')).toMatchObject({
      pass: false,
      reasonCode: 'UNBOUNDED_LOSS',
    });
  });

  it('wall 5: daily loss limit, drawdown, and the headroom for this trade', () => {
    expect(outcome({ ...base, portfolio: { ...portfolio, dayPnl: '-25000.00' } }, 'loss-limits')).toMatchObject({
      pass: false,
      reasonCode: 'DAILY_LOSS_LIMIT',
      numbers: { dailyHeadroom: '0.00' },
    });
    // (1,020,000 − 915,000) / 1,020,000 = 0.102941 ≥ 0.10
    expect(outcome({ ...base, portfolio: { ...portfolio, equity: '915000.00' } }, 'loss-limits')).toMatchObject({
      pass: false,
      reasonCode: 'DRAWDOWN_LIMIT',
      numbers: { drawdown: '0.102941' },
    });
    const tight = { ...base, limits: { ...limits, maxDailyLoss: '2100.00' } }; // headroom ₹100 < condor max loss
    expect(outcome(tight, 'loss-limits')).toMatchObject({
      pass: false,
      reasonCode: 'DAILY_LOSS_HEADROOM',
      numbers: { dailyHeadroom: '100.00' },
    });
  });

  it('wall 6: net delta and vega limits, but trades that reduce exposure pass', () => {
    const longDelta = { ...condor, delta: 600 };
    expect(outcome({ ...base, proposal: longDelta }, 'greeks')).toMatchObject({
      pass: false,
      reasonCode: 'NET_DELTA_LIMIT',
    });
    const reducing = { ...base, proposal: { ...condor, delta: -300 }, portfolio: { ...portfolio, netDelta: 900 } };
    expect(outcome(reducing, 'greeks').pass).toBe(true);
    expect(outcome({ ...base, portfolio: { ...portfolio, netVega: -4990 } }, 'greeks')).toMatchObject({
      pass: false,
      reasonCode: 'NET_VEGA_LIMIT',
    });
  });

  it('wall 7: blackout windows, and no new short gamma on expiry afternoon', () => {
    const blackout = {
      ...base,
      limits: {
        ...limits,
        blackoutWindows: [{ from: '2026-05-05T09:55:00+05:30', to: '2026-05-05T11:30:00+05:30', reason: 'RBI policy' }],
      },
    };
    expect(outcome(blackout, 'event-expiry')).toMatchObject({
      pass: false,
      reasonCode: 'EVENT_BLACKOUT',
      numbers: { blackout: 'RBI policy' },
    });
    const sameDay = proposalFromStructure(structure({ kind: 'IRON_CONDOR', expiry: '2026-05-05' }), 1);
    const at = (t: string) => ({
      ...base,
      proposal: sameDay,
      market: { ...market, timestamp: `2026-05-05T${t}:00+05:30` },
    });
    expect(outcome(at('13:29'), 'event-expiry').pass).toBe(true);
    expect(outcome(at('13:30'), 'event-expiry')).toMatchObject({ pass: false, reasonCode: 'EXPIRY_DAY_SHORT_GAMMA' });
    // Buying gamma on expiry afternoon is fine.
    const straddle = proposalFromStructure(structure({ kind: 'LONG_STRADDLE', expiry: '2026-05-05' }), 1);
    expect(outcome({ ...at('14:45'), proposal: straddle }, 'event-expiry').pass).toBe(true);
  });

  it('evaluates every wall even when several fail (no short-circuit)', () => {
    const bad: CastleInput = {
      ...base,
      market: { ...market, regime: 'panic', halted: true },
      portfolio: { ...portfolio, dayPnl: '-30000.00' },
    };
    const r = evaluateCastle(bad);
    expect(r.pass).toBe(false);
    expect(r.outcomes).toHaveLength(7);
    expect(r.failedWalls).toEqual(['kill-switch', 'regime', 'loss-limits']);
    expect(r.reasonCodes).toEqual(['TRADING_HALTED', 'SHORT_VOL_IN_PANIC', 'DAILY_LOSS_LIMIT']);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});
