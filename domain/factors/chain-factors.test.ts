/**
 * Chain and calendar factors on the hand-built snapshot. Every expected value is worked out by
 * hand from the fixture's table (hand-snapshot.fixture.ts), the arithmetic written out here.
 */
import type { DecisionSnapshot } from '../snapshot/types';
import {
  closureDaysToExpiry,
  eventProximity,
  sessionElapsed,
  timeToExpiryDays,
  tradingDaysToExpiry,
} from './calendar-factors';
import { gexFlipDistance, gexTotal } from './dealer-gamma';
import { HAND_SNAPSHOT as S, SPOT } from './hand-snapshot.fixture';
import { skewBf25, skewPut10Premium, skewRr25, termFrontPremium, termSpread, volIndexLevel } from './implied-vol';
import { callWallDistance, maxPainDistance, oiChangeNet, pcrOi, pcrOiAll, pcrVolume, putWallDistance } from './oi-flow';

describe('skew at the expiry nearest 30 days (E2, 20.2 days: |20.2 − 30| beats 6.2 and 55.2)', () => {
  // E2 call deltas 0.9 0.78 0.5 0.27 0.12 → 25-delta call is K=105 (iv 0.15);
  // put |deltas| 0.1 0.22 0.5 0.73 0.88 → 25-delta put is K=95 (iv 0.185), 10-delta put K=90 (iv 0.205).
  // ATM IV: forward 100.3 sits 0.3/5 = 0.06 of the way from K=100 (0.16) to K=105 (0.15):
  // 0.16·0.94 + 0.15·0.06 = 0.1594.
  it('25-delta risk reversal = 0.15 − 0.185', () => expect(skewRr25.compute(S)).toBeCloseTo(-0.035, 12));
  it('25-delta butterfly = (0.15 + 0.185)/2 − 0.1594', () => expect(skewBf25.compute(S)).toBeCloseTo(0.0081, 12));
  it('10-delta put premium = 0.205 − 0.1594', () => expect(skewPut10Premium.compute(S)).toBeCloseTo(0.0456, 12));
});

describe('term structure', () => {
  // E1 ATM: forward 100.1 → 0.17·0.98 + 0.16·0.02 = 0.1698;
  // E3 ATM: forward 100.8 → 0.175·0.84 + 0.17·0.16 = 0.1742.
  it('far minus near ATM IV = 0.1742 − 0.1698', () => expect(termSpread.compute(S)).toBeCloseTo(0.0044, 12));
  it('front ATM IV minus the 0.16 vol index', () => expect(termFrontPremium.compute(S)).toBeCloseTo(0.0098, 12));
  it('vol index is read as is', () => expect(volIndexLevel.compute(S)).toBe(0.16));
  it('spread is null with a single expiry', () => {
    const one: DecisionSnapshot = { ...S, chain: { ...S.chain, expiries: [S.chain.expiries[1]!] } };
    expect(termSpread.compute(one)).toBeNull();
  });
});

describe('OI flow on the front expiry (E1)', () => {
  it('PCR by OI = (1000+1500+1100+400+100) / (100+300+1200+1600+800)', () =>
    expect(pcrOi.compute(S)).toBeCloseTo(4100 / 4000, 12));
  it('PCR by volume = (300+500+550+120+30) / (10+40+600+450+150)', () =>
    expect(pcrVolume.compute(S)).toBeCloseTo(1500 / 1250, 12));
  it('PCR by OI over all expiries = (4100 + 5·300 + 3·150) / (4000 + 5·200 + 3·100)', () =>
    expect(pcrOiAll.compute(S)).toBeCloseTo(6050 / 5300, 12));
  it('OI change: Δput = 100+200+100, Δcall = 50+100, over earlier total 7550', () =>
    expect(oiChangeNet.compute(S)).toBeCloseTo((400 - 150) / 7550, 12));
  it('OI change is null without an earlier snapshot, or when the front expiry rolled', () => {
    expect(oiChangeNet.compute({ ...S, previousOi: null })).toBeNull();
    expect(oiChangeNet.compute({ ...S, previousOi: { ...S.previousOi!, expiry: '2026-05-05' } })).toBeNull();
  });
  it('max pain is K=100 (pain 26500, 11500, 5500, 11000, 26500 at 90…110)', () =>
    expect(maxPainDistance.compute(S)).toBeCloseTo((100 - SPOT) / SPOT, 12));
  it('call wall at K=105 (1600), put wall at K=95 (1500)', () => {
    expect(callWallDistance.compute(S)).toBeCloseTo((105 - SPOT) / SPOT, 12);
    expect(putWallDistance.compute(S)).toBeCloseTo((95 - SPOT) / SPOT, 12);
  });
  it('PCR is null when no call has OI', () => {
    const noCalls = S.chain.expiries[0]!.quotes.map((q) => (q.type === 'call' ? { ...q, oi: 0 } : q));
    const s = { ...S, chain: { ...S.chain, expiries: [{ ...S.chain.expiries[0]!, quotes: noCalls }] } };
    expect(pcrOi.compute(s)).toBeNull();
    expect(callWallDistance.compute(s)).toBeNull();
  });
});

describe('dealer gamma exposure', () => {
  it('Σ (call OI − put OI)·Γ over all expiries · S² · 1 % in ₹ crore', () => {
    // E1: −900·0.002 − 1200·0.01 + 100·0.03 + 1200·0.012 + 700·0.003 = 5.7
    // E2: −100·(0.001+0.004+0.008+0.005+0.002) = −2;  E3: −50·(0.003+0.004+0.0035) = −0.525
    expect(gexTotal.compute(S)).toBeCloseTo((3.175 * SPOT * SPOT * 0.01) / 1e7, 15);
  });

  // One expiry, a 105 call and a 95 put with equal OI: GEX changes sign where their gammas cross.
  const T = 20 / 365;
  const r = 0.065;
  const carry = 1.001; // forward / spot
  const flipSnapshot = (spot: number, putOi: number): DecisionSnapshot => {
    const q = {
      bid: 1,
      ask: 1,
      mid: 1,
      bidQty: 1,
      askQty: 1,
      iv: 0.2,
      delta: 0,
      gamma: 0,
      vega: 0,
      theta: 0,
      volume: 0,
    };
    const quotes = [
      { ...q, strike: 95, type: 'put' as const, oi: putOi },
      { ...q, strike: 105, type: 'call' as const, oi: 1000 },
    ];
    const e = { expiry: '2026-05-26', years: T, forward: spot * carry, atmStrike: 100, atmVol: 0.2, quotes };
    return { ...S, spot, rates: { rate: r, dividendYield: 0 }, chain: { ...S.chain, spot, expiries: [e] } };
  };
  // Textbook Black-76 gamma: e^(−rT)·n(d1)/(F·σ·√T), d1 = [ln(F/K) + σ²T/2]/(σ√T).
  const gammaBS = (F: number, K: number) => {
    const sd = 0.2 * Math.sqrt(T);
    const d1 = (Math.log(F / K) + (sd * sd) / 2) / sd;
    return (Math.exp(-r * T) * Math.exp((-d1 * d1) / 2)) / Math.sqrt(2 * Math.PI) / (F * sd);
  };

  it('flip level: the index level where call and put gamma exposure balance, found independently by bisection', () => {
    const net = (S0: number) => gammaBS(S0 * carry, 105) - gammaBS(S0 * carry, 95);
    let lo = 90;
    let hi = 110;
    expect(net(lo)).toBeLessThan(0);
    expect(net(hi)).toBeGreaterThan(0);
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (net(mid) < 0) lo = mid;
      else hi = mid;
    }
    const spot = 103;
    expect(gexFlipDistance.compute(flipSnapshot(spot, 1000))).toBeCloseTo((lo - spot) / spot, 6);
  });

  it('no flip within ±20 % when only calls carry OI', () => {
    expect(gexFlipDistance.compute(flipSnapshot(103, 0))).toBeNull();
  });
});

describe('calendar', () => {
  // Today 2026-05-06 (Wed); front expiry 2026-05-12 (Tue), 6.2 days by its year fraction.
  it('time to expiry in days = years · 365', () => expect(timeToExpiryDays.compute(S)).toBeCloseTo(6.2, 12));
  it('trading days to expiry: 7, 8, 11, 12 May = 4', () => expect(tradingDaysToExpiry.compute(S)).toBe(4));
  it('closure days: 6 calendar days − 4 sessions = 2 (the weekend)', () =>
    expect(closureDaysToExpiry.compute(S)).toBe(2));
  it('event proximity: RBI on 8 May is 2 sessions away → 1/3; none listed → 0; today → 1', () => {
    expect(eventProximity.compute(S)).toBeCloseTo(1 / 3, 12);
    expect(eventProximity.compute({ ...S, calendar: { ...S.calendar, events: [] } })).toBe(0);
    const today = { ...S, calendar: { ...S.calendar, events: [{ date: '2026-05-06', name: 'results' }] } };
    expect(eventProximity.compute(today)).toBe(1);
  });
  it('session elapsed = 40 / 375', () => expect(sessionElapsed.compute(S)).toBeCloseTo(40 / 375, 12));
});
