/**
 * Implied volatility under Black-76: Newton's method on σ, guarded by a bracket that shrinks
 * every iteration, with bisection whenever a Newton step would leave the bracket or vega is too
 * small to trust. A price outside the no-arbitrage bounds has no solution and says so instead
 * of returning a fabricated number.
 */
import { black76, black76Price, priceBounds, type OptionType } from './black76';

export interface ImpliedVolInput {
  readonly type: OptionType;
  readonly price: number;
  readonly forward: number;
  readonly strike: number;
  readonly years: number;
  readonly rate: number;
}

export type ImpliedVolResult =
  | { readonly ok: true; readonly vol: number; readonly iterations: number }
  | {
      readonly ok: false;
      readonly reason: 'NO_VOLATILITY_FITS';
      readonly detail: string;
      readonly lower: number;
      readonly upper: number;
    };

const VOL_LO = 1e-6;
const VOL_HI = 10; // 1000% vol: beyond anything an index shows
const MAX_ITER = 100;

export function impliedVol(input: ImpliedVolInput, tolerance = 1e-12): ImpliedVolResult {
  const { type, price, forward, strike, years, rate } = input;
  const { lower, upper } = priceBounds(type, forward, strike, years, rate);
  if (!Number.isFinite(price) || !(years > 0) || price <= lower || price >= upper) {
    const detail = !(years > 0)
      ? 'no time to expiry: the price is pure intrinsic value'
      : `price ${price} is outside the no-arbitrage bounds (${lower}, ${upper})`;
    return { ok: false, reason: 'NO_VOLATILITY_FITS', detail, lower, upper };
  }
  const at = (vol: number) => black76Price({ type, forward, strike, years, rate, vol });
  let lo = VOL_LO;
  let hi = VOL_HI;
  if (at(lo) > price || at(hi) < price) {
    return {
      ok: false,
      reason: 'NO_VOLATILITY_FITS',
      detail: `no volatility in [${VOL_LO}, ${VOL_HI}] reproduces ${price}`,
      lower,
      upper,
    };
  }
  // Brenner–Subrahmanyam start: σ ≈ √(2π/T)·C/F near the money, clamped into the bracket.
  let vol = Math.min(
    Math.max((Math.sqrt((2 * Math.PI) / years) * price) / (forward * Math.exp(-rate * years)), 0.01),
    3,
  );
  for (let i = 1; i <= MAX_ITER; i++) {
    const g = black76({ type, forward, strike, years, rate, vol });
    const diff = g.price - price;
    if (Math.abs(diff) <= tolerance * Math.max(1, price)) return { ok: true, vol, iterations: i };
    // Price is increasing in vol, so the sign of diff tells which side of the root we are on.
    if (diff > 0) hi = vol;
    else lo = vol;
    const step = g.vega > 1e-12 ? diff / g.vega : Number.NaN;
    let next = vol - step;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (hi - lo < 1e-15) return { ok: true, vol: next, iterations: i };
    vol = next;
  }
  return { ok: true, vol, iterations: MAX_ITER };
}
