/**
 * A compact parametric implied-volatility surface: an ATM term structure times a quadratic
 * smile in standardised moneyness. Four numbers describe a whole surface, which keeps
 * simulated and replayed market states small (a CSV row) while still giving the put skew and
 * the regime-dependent term structure (contango when calm, inverted in panic) that matter for
 * picking 5-delta hedges and pricing short-vol structures.
 *
 *   atm(T)   = atmVol · (T̃ / 30d)^termSlope      (T̃ = T floored at one day; termSlope > 0: upward sloping)
 *   z        = ln(K/F) / (atm(T)·√T̃)            (≈ −1.65 at the 5-delta put)
 *   σ(K, T)  = atm(T) · (1 + skew·z + smile·z²),  z clamped to ±min(4, 0.95/√smile)
 *
 * Measuring moneyness in ATM standard deviations keeps the parameters dimensionless, so one
 * skew number means the same thing for a weekly and a quarterly expiry. The clamp keeps
 * 1 − smile·z² > 0, which is exactly the condition for |delta| to stay monotone in strike
 * (strike-by-delta searches rely on it); beyond it the wings are flat.
 */
import { black76, type OptionType } from './black76';

export interface SurfaceParams {
  /** ATM implied vol at 30 calendar days. */
  readonly atmVol: number;
  /** Slope in z; negative means puts richer than calls (the equity-index norm). */
  readonly skew: number;
  /** Curvature in z (≥ 0); lifts both wings. */
  readonly smile: number;
  /** Power-law exponent of the ATM term structure. */
  readonly termSlope: number;
}

const ONE_DAY = 1 / 365;
const THIRTY_DAYS = 30 / 365;

export function atmVolAt(p: SurfaceParams, years: number): number {
  return p.atmVol * Math.pow(Math.max(years, ONE_DAY) / THIRTY_DAYS, p.termSlope);
}

export function surfaceVol(p: SurfaceParams, forward: number, strike: number, years: number): number {
  const atm = atmVolAt(p, years);
  const smile = Math.max(p.smile, 0);
  const zMax = smile > 0 ? Math.min(4, 0.95 / Math.sqrt(smile)) : 4;
  const raw = Math.log(strike / forward) / (atm * Math.sqrt(Math.max(years, ONE_DAY)));
  const z = Math.min(Math.max(raw, -zMax), zMax);
  const g = 1 + p.skew * z + smile * z * z;
  return Math.min(Math.max(atm * g, 0.2 * atm, 0.01), 3);
}

export interface DeltaStrikeInput {
  readonly type: OptionType;
  readonly forward: number;
  readonly years: number;
  readonly rate: number;
  /** Wanted |delta|, e.g. 0.05 for the 5-delta put. */
  readonly targetDelta: number;
  readonly strikeStep: number;
  /** Volatility for a strike (a skewed surface; a constant for flat vol). */
  readonly volAt: (strike: number) => number;
}

export interface DeltaStrike {
  readonly strike: number;
  readonly delta: number;
  readonly vol: number;
}

/**
 * The listed strike whose delta (with the surface's own vol at that strike) is closest to the
 * target. Walks the strike grid from the money outwards; |delta| is monotone in strike on any
 * sane surface, so the walk stops once it has passed the target.
 */
export function strikeForDelta(input: DeltaStrikeInput): DeltaStrike {
  const { type, forward, years, rate, targetDelta, strikeStep, volAt } = input;
  const target = Math.abs(targetDelta);
  if (!(target > 0 && target < 1)) throw new RangeError('targetDelta must be between 0 and 1 in magnitude');
  const at = (strike: number): DeltaStrike => {
    const vol = volAt(strike);
    return { strike, vol, delta: black76({ type, forward, strike, years, rate, vol }).delta };
  };
  let cur = at(Math.round(forward / strikeStep) * strikeStep);
  // Moving away from the money (down for puts, up for calls) shrinks |delta|.
  const outward = type === 'put' ? -strikeStep : strikeStep;
  const dir = Math.abs(cur.delta) > target ? outward : -outward;
  for (let i = 0; i < 5000; i++) {
    const nextStrike = cur.strike + dir;
    if (nextStrike <= 0) break;
    const next = at(nextStrike);
    if (Math.abs(Math.abs(next.delta) - target) >= Math.abs(Math.abs(cur.delta) - target)) break;
    cur = next;
  }
  return cur;
}
