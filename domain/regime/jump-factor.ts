/**
 * A jump factor for the regime detector: the share of today's realised variance that bipower
 * variation does not explain (Barndorff-Nielsen & Shephard, 2004). Bipower variation
 * (π/2)·Σ|rₖ||rₖ₋₁| is robust to a few large moves, realised variance Σrₖ² is not, so
 * max(0, 1 − BV/RV) is near 0 on a diffusive day and grows with jumps. It follows the factor
 * contract (domain/factors) and is computed alongside FACTORS wherever the detector runs.
 */
import { defineFactor } from '../factors/define-factor';
import type { Factor } from '../factors/types';

/** Fewer one-minute returns than this give null: bipower variation needs a sample. */
export const JUMP_SHARE_MIN_BARS = 30;

export const jumpShareIntraday = defineFactor({
  name: 'jump_share_intraday',
  family: 'volatility',
  description:
    "Share of today's one-minute realised variance (returns from the open) not explained by bipower variation, " +
    'max(0, 1 − BV/RV) with BV = (π/2)·n/(n−1)·Σ|rₖ||rₖ₋₁|; in [0, 1). ' +
    `Null before ${JUMP_SHARE_MIN_BARS} bars or on a flat path.`,
  compute: (s) => {
    if (s.bars.length < JUMP_SHARE_MIN_BARS) return null;
    let prevClose = s.sessionOpen;
    let prevAbs: number | null = null;
    let rv = 0;
    let bv = 0;
    for (const b of s.bars) {
      const r = Math.log(b.close / prevClose);
      rv += r * r;
      if (prevAbs !== null) bv += prevAbs * Math.abs(r);
      prevAbs = Math.abs(r);
      prevClose = b.close;
    }
    if (rv === 0) return null;
    const n = s.bars.length;
    bv *= (Math.PI / 2) * (n / (n - 1));
    return Math.max(0, 1 - bv / rv);
  },
  expectedDecay: 1,
});

/** Factors the regime detector reads that the factor library does not have. */
export const REGIME_FACTORS: readonly Factor[] = [jumpShareIntraday];
