import { buildChain } from '../market/chain';
import { simulateDay, snapshotAt } from '../market';
import { buildStructure } from '../strategies/templates';
import type { Structure } from '../strategies/types';
import { DEFAULT_TENANT_LIMITS } from './limits';
import { sizeStructure } from './sizing';
import { adaptToProfile, appetiteLots, type ProfileInUse, type TenantProfile } from './tenant-adaptation';

const profile = (typicalLots: number, scope: 'global' | number = 7): ProfileInUse => ({
  ref: { typeId: 'tenant_profile', version: 3, sha256: 'a'.repeat(64), scope },
  profile: {
    version: 1,
    typicalLots,
    lossPerLot: 900,
    holdMinutes: 75,
    structureShares: {} as TenantProfile['structureShares'],
    prior: { typicalLots: 4.5, lossPerLot: 1200, holdMinutes: 90 },
    evidence: { realTrades: 40, syntheticTrades: 300, priorWeight: 20, realWeight: 120, tenantShare: 120 / 140 },
  },
});

describe('tenant adaptation of sizing', () => {
  it('sizes to the tenant’s typical lots, never above what the limits allow', () => {
    expect(adaptToProfile(10, profile(3.4)).lots).toBe(3);
    expect(adaptToProfile(10, profile(3.6)).lots).toBe(4);
    expect(adaptToProfile(2, profile(6)).lots).toBe(2);
    // A tiny typical size still means one lot; a limit at zero stays zero (sizing proposes 1 for the castle).
    expect(appetiteLots(profile(0.2).profile)).toBe(1);
    expect(adaptToProfile(0, profile(3)).lots).toBe(0);
  });

  it('without a profile the limits’ answer stands', () => {
    expect(adaptToProfile(7, null)).toEqual({ lots: 7, numbers: {} });
    expect(adaptToProfile(7, undefined)).toEqual({ lots: 7, numbers: {} });
  });

  it('records which profile sized it: the tenant’s variant or the global one', () => {
    expect(adaptToProfile(10, profile(3.456)).numbers).toEqual({
      lotsByAppetite: 3,
      typicalLots: 3.46,
      profileScope: 'tenant:7',
      profileTenantShare: 0.86,
    });
    expect(adaptToProfile(10, profile(3, 'global')).numbers.profileScope).toBe('global');
  });

  it('sizeStructure takes the profile after the limits', () => {
    const chain = buildChain(snapshotAt(simulateDay({ instrument: 'NIFTY', date: '2026-03-10', seed: 3 }), '11:00'));
    const spread = (buildStructure(chain, { kind: 'BEAR_CALL_SPREAD' }) as { ok: true; structure: Structure })
      .structure;
    const cash = '100000000.00';
    const flat = { dayPnl: '0.00', lotsTradedToday: 0, netDelta: 0, netVega: 0 };
    const portfolio = { freeCapital: cash, equity: cash, peakEquity: cash, ...flat };
    const plain = sizeStructure(spread, DEFAULT_TENANT_LIMITS, portfolio);
    expect(plain.lots).toBeGreaterThan(1);
    const adapted = sizeStructure(spread, DEFAULT_TENANT_LIMITS, portfolio, undefined, profile(1));
    expect(adapted.lots).toBe(1);
    expect(adapted.numbers).toMatchObject({ allowed: plain.numbers.allowed, lotsByAppetite: 1 });
    const big = sizeStructure(spread, DEFAULT_TENANT_LIMITS, portfolio, undefined, profile(500));
    expect(big.lots).toBe(plain.lots);
  });
});
