/**
 * Factors over the hand-built snapshot's daily and minute series. Expected values come from the
 * textbook formulas written out below with their own loops (nothing from the factor code).
 */
import type { DecisionSnapshot } from '../snapshot/types';
import { BARS, DAILY, HAND_SNAPSHOT as S, SPOT } from './hand-snapshot.fixture';
import { ivPercentile, ivRank, volIndexChange1d, vrpIvHar, vrpIvRv20, vrpLogIvGarch } from './implied-vol';
import { mom20d, mom30m, mom5d, momIntraday, mrZSma20, mrZTwap, trendEfficiency } from './momentum';
import {
  rvCc20d,
  rvCc5d,
  rvEwma,
  rvGarch,
  rvGarmanKlass,
  rvHar,
  rvIntraday,
  rvParkinson,
  rvRatio5to20,
} from './volatility';

const closes = DAILY.map((d) => d.close);
const rets: number[] = [];
for (let i = 1; i < closes.length; i++) rets.push(Math.log(closes[i]! / closes[i - 1]!));
const avg = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
const stdev = (xs: number[]) => {
  const m = avg(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};
const withDaily = (daily: DecisionSnapshot['daily']): DecisionSnapshot => ({ ...S, daily });

// Textbook estimators, annualised with √252.
const histVol = (n: number) => stdev(rets.slice(-n)) * Math.sqrt(252);
const ewma = () => {
  let v = rets[0]! ** 2; // RiskMetrics, seeded with the first squared return
  for (const r of rets) v = 0.94 * v + 0.06 * r * r;
  return Math.sqrt(252 * v);
};
const garch = () => {
  const vbar = avg(rets.map((r) => r * r));
  let v = vbar;
  for (const r of rets) v = 0.02 * vbar + 0.08 * r * r + 0.9 * v;
  return Math.sqrt(252 * v);
};
const har = () => {
  const rv = DAILY.map((d) => d.realisedVariance!);
  const v = 0.4 * rv[29]! + 0.4 * avg(rv.slice(25)) + 0.2 * avg(rv.slice(8));
  return Math.sqrt(252 * v);
};

describe('volatility forecasting', () => {
  it('close-to-close 20d and 5d: sample std of log returns · √252', () => {
    expect(rvCc20d.compute(S)).toBeCloseTo(histVol(20), 12);
    expect(rvCc5d.compute(S)).toBeCloseTo(histVol(5), 12);
    expect(rvRatio5to20.compute(S)).toBeCloseTo(histVol(5) / histVol(20), 12);
    expect(rvCc20d.compute(withDaily(DAILY.slice(-20)))).toBeNull();
  });

  it('EWMA λ = 0.94 over all 29 returns (fewer than 60)', () => {
    expect(rvEwma.compute(S)).toBeCloseTo(ewma(), 12);
    expect(rvEwma.compute(withDaily(DAILY.slice(-10)))).toBeNull();
  });

  it('EWMA by hand: nine flat returns then ln(1.01) → σ² = 0.06 · ln(1.01)²', () => {
    // Ten flat-then-moving closes: nine returns of 0 then ln(1.01): σ² stays 0 until the last, then 0.06·ln(1.01)².
    const flat = Array.from({ length: 10 }, (_, i) => ({ ...DAILY[i]!, close: 100 }));
    const s = withDaily([...flat, { ...DAILY[10]!, close: 101 }]);
    expect(rvEwma.compute(s)).toBeCloseTo(Math.sqrt(252 * 0.06 * Math.log(1.01) ** 2), 12);
  });

  it('GARCH(1,1) α = 0.08, β = 0.90, variance targeting', () => {
    expect(rvGarch.compute(S)).toBeCloseTo(garch(), 12);
    expect(rvGarch.compute(withDaily(DAILY.slice(-20)))).toBeNull();
  });

  it('Parkinson: Σ(ln H/L)² / (4 ln 2 · 20)', () => {
    const last = DAILY.slice(-20);
    const v = last.reduce((a, d) => a + Math.log(d.high / d.low) ** 2, 0) / (4 * Math.log(2) * 20);
    expect(rvParkinson.compute(S)).toBeCloseTo(Math.sqrt(252 * v), 12);
    expect(rvParkinson.compute(withDaily(DAILY.slice(-19)))).toBeNull();
  });

  it('Garman–Klass: mean of ½(ln H/L)² − (2 ln 2 − 1)(ln C/O)²', () => {
    const last = DAILY.slice(-20);
    const v =
      last.reduce(
        (a, d) => a + 0.5 * Math.log(d.high / d.low) ** 2 - (2 * Math.log(2) - 1) * Math.log(d.close / d.open) ** 2,
        0,
      ) / 20;
    expect(rvGarmanKlass.compute(S)).toBeCloseTo(Math.sqrt(252 * v), 12);
  });

  it('HAR-RV: 0.4·RV_d + 0.4·RV_w + 0.2·RV_m', () => {
    expect(rvHar.compute(S)).toBeCloseTo(har(), 12);
    const gap = DAILY.map((d, i) => (i === 20 ? { ...d, realisedVariance: null } : d));
    expect(rvHar.compute(withDaily(gap))).toBeNull();
    expect(rvHar.compute(withDaily(DAILY.slice(-21)))).toBeNull();
  });

  it('intraday realised vol is the snapshot figure', () => {
    expect(rvIntraday.compute(S)).toBe(0.13);
  });
});

describe('volatility risk premium', () => {
  it('vol index minus realised, minus HAR, log ratio to GARCH', () => {
    expect(vrpIvRv20.compute(S)).toBeCloseTo(0.16 - histVol(20), 12);
    expect(vrpIvHar.compute(S)).toBeCloseTo(0.16 - har(), 12);
    expect(vrpLogIvGarch.compute(S)).toBeCloseTo(Math.log(0.16 / garch()), 12);
    expect(vrpIvRv20.compute(withDaily([]))).toBeNull();
  });
});

describe('IV rank and percentile over the daily vol-index closes', () => {
  const past = DAILY.map((d) => d.volIndex!);
  // Past closes span 0.12…0.16; today at 0.15 sits inside the range.
  const mid = { ...S, volIndex: 0.15 };
  it('rank = (now − min)/(max − min) with today included', () => {
    const lo = Math.min(0.15, ...past);
    const hi = Math.max(0.15, ...past);
    expect(ivRank.compute(mid)).toBeCloseTo((0.15 - lo) / (hi - lo), 12);
    expect(ivRank.compute(S)).toBe(1);
  });
  it('percentile = share of past closes strictly below now', () => {
    let below = 0;
    for (const v of past) if (v < 0.15) below++;
    expect(below).toBeGreaterThan(0);
    expect(below).toBeLessThan(30);
    expect(ivPercentile.compute(mid)).toBeCloseTo(below / 30, 12);
  });
  it('change since yesterday; nulls with too little history', () => {
    expect(volIndexChange1d.compute(S)).toBeCloseTo(0.16 - DAILY[29]!.volIndex!, 12);
    expect(ivRank.compute(withDaily(DAILY.slice(-19)))).toBeNull();
    expect(ivPercentile.compute(withDaily(DAILY.slice(-19)))).toBeNull();
    expect(volIndexChange1d.compute(withDaily([]))).toBeNull();
  });
});

describe('momentum and mean reversion', () => {
  const barCloses = BARS.map((b) => b.close);
  it('returns over the session, 30 minutes, 5 and 20 days', () => {
    expect(momIntraday.compute(S)).toBeCloseTo(Math.log(SPOT / 99), 12);
    expect(mom30m.compute(S)).toBeCloseTo(Math.log(SPOT / barCloses[39 - 30]!), 12);
    expect(mom5d.compute(S)).toBeCloseTo(Math.log(SPOT / closes[25]!), 12);
    expect(mom20d.compute(S)).toBeCloseTo(Math.log(SPOT / closes[10]!), 12);
    expect(mom30m.compute({ ...S, bars: BARS.slice(0, 30) })).toBeNull();
    expect(mom20d.compute(withDaily(DAILY.slice(-19)))).toBeNull();
  });

  it('trend efficiency = |spot − open| / path length from the open', () => {
    let path = Math.abs(barCloses[0]! - 99);
    for (let i = 1; i < 40; i++) path += Math.abs(barCloses[i]! - barCloses[i - 1]!);
    expect(trendEfficiency.compute(S)).toBeCloseTo(Math.abs(SPOT - 99) / path, 12);
    expect(trendEfficiency.compute({ ...S, bars: BARS.slice(0, 9) })).toBeNull();
  });

  it('z-scores against the 20-day SMA and the session TWAP', () => {
    const last20 = closes.slice(-20);
    expect(mrZSma20.compute(S)).toBeCloseTo((SPOT - avg(last20)) / stdev(last20), 12);
    expect(mrZTwap.compute(S)).toBeCloseTo((SPOT - avg(barCloses)) / stdev(barCloses), 12);
    const flat = DAILY.map((d) => ({ ...d, close: 100 }));
    expect(mrZSma20.compute(withDaily(flat))).toBeNull();
  });
});
