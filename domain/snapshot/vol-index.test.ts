import type { ChainExpiry, OptionQuote } from '../market';
import { atmIv } from './atm-iv';
import { closeToCloseVol, intradayRealisedVol } from './realised-vol';
import { volIndexFromChain } from './vol-index';

function quote(strike: number, type: 'call' | 'put', iv: number): OptionQuote {
  return {
    strike,
    type,
    bid: 1,
    ask: 1.1,
    mid: 1.05,
    bidQty: 1,
    askQty: 1,
    iv,
    delta: 0,
    gamma: 0,
    vega: 0,
    theta: 0,
    volume: 0,
    oi: 0,
  };
}

function expiry(expiryDate: string, days: number, forward: number, ivs: Record<number, [number, number]>): ChainExpiry {
  const quotes = Object.entries(ivs).flatMap(([k, [c, p]]) => [
    quote(Number(k), 'call', c),
    quote(Number(k), 'put', p),
  ]);
  return { expiry: expiryDate, years: days / 365, forward, atmStrike: 100, atmVol: 0, quotes };
}

describe('ATM implied vol of an expiry', () => {
  it('averages call and put IV per strike and interpolates linearly to the forward', () => {
    // Strike 100: (0.20 + 0.22)/2 = 0.21; strike 105: (0.18 + 0.20)/2 = 0.19; forward 101 is 1/5 of the way.
    const e = expiry('2026-05-12', 7, 101, { 95: [0.25, 0.27], 100: [0.2, 0.22], 105: [0.18, 0.2] });
    expect(atmIv(e)).toBeCloseTo(0.21 * 0.8 + 0.19 * 0.2, 12);
  });

  it('uses the nearest strike when the forward is outside the listed strikes', () => {
    expect(atmIv(expiry('2026-05-12', 7, 90, { 95: [0.25, 0.27], 100: [0.2, 0.22] }))).toBeCloseTo(0.26, 12);
  });
});

describe('30-day vol index', () => {
  it('interpolates total variance between the expiries bracketing 30 days (the VIX formula, by hand)', () => {
    const near = expiry('2026-05-26', 21, 100, { 100: [0.15, 0.15] });
    const next = expiry('2026-06-30', 56, 100, { 100: [0.18, 0.18] });
    const front = expiry('2026-05-06', 1, 100, { 100: [0.5, 0.5] }); // under 3 days: skipped
    // σ30² = [T1σ1²(T2 − T30) + T2σ2²(T30 − T1)] / [(T2 − T1)·T30] with T in days (the 1/365 cancels):
    // [21·0.0225·26 + 56·0.0324·9] / [35·30] = (12.285 + 16.3296) / 1050 = 0.02725200
    expect(volIndexFromChain({ expiries: [front, near, next] })).toBeCloseTo(Math.sqrt(28.6146 / 1050), 12);
  });

  it('extrapolates flat when every usable expiry is on one side of 30 days', () => {
    const a = expiry('2026-05-12', 7, 100, { 100: [0.12, 0.12] });
    const b = expiry('2026-05-19', 14, 100, { 100: [0.13, 0.13] });
    expect(volIndexFromChain({ expiries: [a, b] })).toBeCloseTo(0.13, 12);
    expect(() => volIndexFromChain({ expiries: [expiry('2026-05-06', 1, 100, { 100: [0.2, 0.2] })] })).toThrow(
      RangeError,
    );
  });
});

describe('headline realised vol', () => {
  it('intraday: √(mean r² · 375 · 252) over minute returns from the open', () => {
    const closes = [100.1, 100.0, 100.2, 100.1, 100.3, 100.2, 100.2, 100.4, 100.3, 100.5];
    const levels = [100, ...closes];
    let sumSq = 0;
    for (let i = 1; i < levels.length; i++) sumSq += Math.log(levels[i]! / levels[i - 1]!) ** 2;
    expect(intradayRealisedVol(100, closes)).toBeCloseTo(Math.sqrt((sumSq / 10) * 375 * 252), 12);
    expect(intradayRealisedVol(100, closes.slice(0, 9))).toBeNull();
  });

  it('close to close: sample standard deviation of log returns · √252', () => {
    // Returns ln(101/100), ln(99/101), ln(100/99) over a 3-day window.
    const r = [Math.log(1.01), Math.log(99 / 101), Math.log(100 / 99)];
    const m = (r[0]! + r[1]! + r[2]!) / 3;
    const s2 = ((r[0]! - m) ** 2 + (r[1]! - m) ** 2 + (r[2]! - m) ** 2) / 2;
    expect(closeToCloseVol([50, 100, 101, 99, 100], 3)).toBeCloseTo(Math.sqrt(s2 * 252), 12);
    expect(closeToCloseVol([100, 101, 99], 3)).toBeNull();
  });
});
