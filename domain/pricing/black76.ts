/**
 * Black-76: European options on a forward F, discounted at r. NSE index options are European
 * and cash-settled against the index, so pricing on the forward implied by futures or by
 * put-call parity sidesteps the dividend yield.
 *
 * Greek conventions (all per one unit of the underlying):
 *   delta = ∂V/∂F, gamma = ∂²V/∂F², vega = ∂V/∂σ per 1.00 of vol (divide by 100 for "per 1%"),
 *   theta = ∂V/∂t per year of calendar time (negative for long options; divide by 365 per day).
 */
import { normCdf, normPdf } from './normal';

export type OptionType = 'call' | 'put';

export interface Black76Input {
  readonly type: OptionType;
  readonly forward: number;
  readonly strike: number;
  /** Time to expiry in years. */
  readonly years: number;
  /** Continuously compounded risk-free rate used for discounting. */
  readonly rate: number;
  /** Annualised volatility (0.15 = 15%). */
  readonly vol: number;
}

export interface Black76Result {
  readonly price: number;
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
}

function check(input: Black76Input): void {
  const { forward, strike, years, rate, vol } = input;
  if (!(forward > 0) || !(strike > 0)) throw new RangeError('forward and strike must be positive');
  if (!(years >= 0) || !(vol >= 0) || !Number.isFinite(rate) || !Number.isFinite(years) || !Number.isFinite(vol)) {
    throw new RangeError('years and vol must be finite and non-negative, rate finite');
  }
}

/** Price only: the hot path for chains and solvers. */
export function black76Price(input: Black76Input): number {
  check(input);
  const { type, forward: F, strike: K, years: T, rate: r, vol: s } = input;
  const df = Math.exp(-r * T);
  const sd = s * Math.sqrt(T);
  if (sd === 0) return df * Math.max(type === 'call' ? F - K : K - F, 0);
  const d1 = Math.log(F / K) / sd + 0.5 * sd;
  const d2 = d1 - sd;
  return type === 'call' ? df * (F * normCdf(d1) - K * normCdf(d2)) : df * (K * normCdf(-d2) - F * normCdf(-d1));
}

/** Price and greeks. At zero time or zero vol the greeks are the intrinsic limits. */
export function black76(input: Black76Input): Black76Result {
  check(input);
  const { type, forward: F, strike: K, years: T, rate: r, vol: s } = input;
  const df = Math.exp(-r * T);
  const sqrtT = Math.sqrt(T);
  const sd = s * sqrtT;
  if (sd === 0) {
    const itm = type === 'call' ? F > K : K > F;
    const price = df * Math.max(type === 'call' ? F - K : K - F, 0);
    return { price, delta: itm ? (type === 'call' ? df : -df) : 0, gamma: 0, vega: 0, theta: r * price };
  }
  const d1 = Math.log(F / K) / sd + 0.5 * sd;
  const d2 = d1 - sd;
  const pdf = normPdf(d1);
  const price = type === 'call' ? df * (F * normCdf(d1) - K * normCdf(d2)) : df * (K * normCdf(-d2) - F * normCdf(-d1));
  const delta = type === 'call' ? df * normCdf(d1) : -df * normCdf(-d1);
  const gamma = (df * pdf) / (F * sd);
  const vega = df * F * pdf * sqrtT;
  // −∂V/∂T: the decay of the time value plus the carry of the discounted price.
  const theta = -(df * F * pdf * s) / (2 * sqrtT) + r * price;
  return { price, delta, gamma, vega, theta };
}

/** Discounted no-arbitrage bounds of a European option on a forward. */
export function priceBounds(
  type: OptionType,
  forward: number,
  strike: number,
  years: number,
  rate: number,
): { lower: number; upper: number } {
  const df = Math.exp(-rate * years);
  return type === 'call'
    ? { lower: df * Math.max(forward - strike, 0), upper: df * forward }
    : { lower: df * Math.max(strike - forward, 0), upper: df * strike };
}
