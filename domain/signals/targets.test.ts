import type { MarketBar, MarketDay } from '../market/types';
import { forwardTargets } from './targets';

/** A hand-made day whose closes are chosen; highs and lows 0.5 either side of each bar. */
function day(closes: readonly number[], open = 100): MarketDay {
  let prev = open;
  const bars: MarketBar[] = closes.map((close, m) => {
    const hh = String(9 + Math.floor((15 + m) / 60)).padStart(2, '0');
    const mm = String((15 + m) % 60).padStart(2, '0');
    const bar: MarketBar = {
      timestamp: `2026-05-05T${hh}:${mm}:00+05:30`,
      open: prev,
      high: Math.max(prev, close) + 0.5,
      low: Math.min(prev, close) - 0.5,
      close,
      regime: 'calm',
      atmVol: 0.1,
      skew: -0.2,
      smile: 0.04,
      termSlope: 0.05,
      stress: 0,
    };
    prev = close;
    return bar;
  });
  return { instrument: 'NIFTY', date: '2026-05-05', origin: 'csv', seed: null, bars };
}

describe('forward targets', () => {
  // Decision at minute 2 (spot = close of bar 1 = 101); the next 4 bars close 102, 100, 103, 104.
  const d = day([100.5, 101, 102, 100, 103, 104, 90]);
  const t = forwardTargets(d, 2, 4)!;
  const r = [Math.log(102 / 101), Math.log(100 / 102), Math.log(103 / 100), Math.log(104 / 103)];

  it('reads the path from the decision spot through the next horizon closes', () => {
    expect(t.logReturn).toBeCloseTo(Math.log(104 / 101), 15);
    expect(t.realisedVol).toBeCloseTo(Math.sqrt((r.reduce((a, v) => a + v * v, 0) / 4) * 375 * 252), 12);
    // High 104.5 (bar 5), low 99.5 (bar 3: min(102, 100) − 0.5).
    expect(t.logRange).toBeCloseTo(Math.log(104.5 / 99.5), 15);
    expect(t.efficiency).toBeCloseTo(Math.log(104 / 101) / r.reduce((a, v) => a + Math.abs(v), 0), 12);
    const up = Math.log(104.5 / 101);
    const down = Math.log(101 / 99.5);
    expect(t.asymmetry).toBeCloseTo((up - down) / (up + down), 12);
    expect(t.maxAbsMinuteReturn).toBeCloseTo(Math.log(103 / 100), 15);
  });

  it('starts from the open at 09:15 and refuses windows past the data or the close', () => {
    expect(forwardTargets(d, 0, 2)!.logReturn).toBeCloseTo(Math.log(101 / 100), 15);
    expect(forwardTargets(d, 5, 4)).toBeNull();
    expect(forwardTargets(d, 374, 2)).toBeNull();
    expect(() => forwardTargets(d, 0, 1)).toThrow(/horizon/);
  });
});
