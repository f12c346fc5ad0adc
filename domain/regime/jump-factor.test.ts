import { HAND_SNAPSHOT } from '../factors/hand-snapshot.fixture';
import type { SnapshotBar } from '../snapshot/types';
import { jumpShareIntraday } from './jump-factor';

/** Bars whose one-minute log returns are exactly `returns`, from an open of 100. */
function withReturns(returns: readonly number[]) {
  let close = 100;
  const bars: SnapshotBar[] = returns.map((r, i) => {
    const open = close;
    close = open * Math.exp(r);
    return {
      timestamp: `2026-05-05T09:${String(15 + i).padStart(2, '0')}:00+05:30`,
      open,
      high: open,
      low: open,
      close,
    };
  });
  return { ...HAND_SNAPSHOT, sessionOpen: 100, spot: close, bars };
}

describe('jump_share_intraday', () => {
  it('is the share of realised variance bipower variation leaves unexplained, worked by hand', () => {
    // 30 returns: ±0.001 alternating, except one jump of 0.01 in the middle.
    const returns = Array.from({ length: 30 }, (_, i) => (i === 15 ? 0.01 : i % 2 ? -0.001 : 0.001));
    // RV = 29·1e-6 + 1e-4; BV sums 29 neighbour products: 27 of 1e-6 and 2 of 1e-5 (the jump's).
    const rv = 29e-6 + 1e-4;
    const bv = (Math.PI / 2) * (30 / 29) * (27e-6 + 2e-5);
    expect(jumpShareIntraday.compute(withReturns(returns))).toBeCloseTo(1 - bv / rv, 10);
    expect(1 - bv / rv).toBeCloseTo(0.40795, 4);
  });

  it('is zero on a path without jumps (BV ≥ RV for equal-size moves) and null before 30 bars', () => {
    expect(jumpShareIntraday.compute(withReturns(Array.from({ length: 40 }, (_, i) => (i % 3 ? 0.001 : -0.001))))).toBe(
      0,
    );
    expect(jumpShareIntraday.compute(withReturns(Array.from({ length: 29 }, () => 0.001)))).toBeNull();
    expect(jumpShareIntraday.compute(withReturns(Array.from({ length: 30 }, () => 0)))).toBeNull();
  });
});
