/**
 * Dealer gamma exposure (GEX) and its flip level.
 *
 * Sign convention (the usual one, SqueezeMetrics/SpotGamma style): dealers are assumed long the
 * calls customers write and short the puts customers buy, so call gamma counts +, put gamma −:
 *
 *   GEX(S) = Σ_calls Γ·OI·S²·1% − Σ_puts Γ·OI·S²·1%      (₹ crore per 1 % move; 1 crore = 10⁷)
 *
 * Γ·S·1% is the change in delta (units) for a 1 % move, ·S turns it into rupees. Positive GEX:
 * dealers hedge against the move (sell rallies, buy dips) and damp volatility; negative: they
 * chase it. Γ is Black-76 gamma per unit against the forward, the chain's own figure.
 *
 * The flip level is the index level at which GEX changes sign when the whole market moves there:
 * each expiry's forward scales with the level, time and each quote's IV stay as they are
 * (sticky strike). It is searched outwards from spot in 0.5 % steps to ±20 %, the nearest sign
 * change then refined by bisection to 10⁻⁷ of spot.
 */
import type { DecisionSnapshot } from '../snapshot/types';
import { defineFactor } from './define-factor';

const CRORE = 1e7;
const ONE_PERCENT = 0.01;
const FLIP_STEP = 0.005;
const FLIP_RANGE = 0.2;

/** GEX in ₹ crore per 1 % move from the chain's own gammas at the current spot. */
export function gexAtSpot(s: DecisionSnapshot): number {
  let total = 0;
  for (const e of s.chain.expiries) for (const q of e.quotes) total += (q.type === 'call' ? 1 : -1) * q.gamma * q.oi;
  return (total * s.spot * s.spot * ONE_PERCENT) / CRORE;
}

interface GammaTerm {
  /** ln of the expiry's forward at the current spot. */
  readonly lnForward: number;
  readonly lnStrike: number;
  /** σ√T. */
  readonly sd: number;
  /** ±OI · e^(−rT) / (σ√T·√(2π)): everything in Γ·OI but e^(−d1²/2)/F. */
  readonly scale: number;
  readonly forward: number;
}

/**
 * Per-quote constants of Black-76 gamma, Γ = e^(−rT)·φ(d1)/(F·σ√T) with d1 = ln(F/K)/(σ√T) + σ√T/2,
 * so that moving the index only shifts ln F (the flip search evaluates GEX at many levels).
 */
function gammaTerms(s: DecisionSnapshot): GammaTerm[] {
  const out: GammaTerm[] = [];
  for (const e of s.chain.expiries) {
    const df = Math.exp(-s.rates.rate * e.years);
    for (const q of e.quotes) {
      const sd = q.iv * Math.sqrt(e.years);
      if (q.oi === 0 || !(sd > 0)) continue;
      const sign = q.type === 'call' ? 1 : -1;
      out.push({
        lnForward: Math.log(e.forward),
        lnStrike: Math.log(q.strike),
        sd,
        scale: (sign * q.oi * df) / (sd * Math.sqrt(2 * Math.PI)),
        forward: e.forward,
      });
    }
  }
  return out;
}

/** GEX (₹ crore per 1 %) if the index stood at `level`, with forwards scaled and IVs held. */
export function gexAtLevel(s: DecisionSnapshot, level: number, terms = gammaTerms(s)): number {
  const x = level / s.spot;
  const lnX = Math.log(x);
  let total = 0;
  for (const t of terms) {
    const d1 = (t.lnForward + lnX - t.lnStrike) / t.sd + 0.5 * t.sd;
    total += (t.scale * Math.exp(-0.5 * d1 * d1)) / (t.forward * x);
  }
  return (total * level * level * ONE_PERCENT) / CRORE;
}

/** The index level nearest spot where GEX changes sign, or null within ±20 %. */
export function gammaFlipLevel(s: DecisionSnapshot): number | null {
  const terms = gammaTerms(s);
  const at = (x: number) => gexAtLevel(s, s.spot * x, terms);
  const g0 = at(1);
  if (g0 === 0) return s.spot;
  const steps = Math.round(FLIP_RANGE / FLIP_STEP);
  let up = { x: 1, g: g0 };
  let down = { x: 1, g: g0 };
  for (let i = 1; i <= steps; i++) {
    for (const side of ['up', 'down'] as const) {
      const prev = side === 'up' ? up : down;
      const x = 1 + (side === 'up' ? i : -i) * FLIP_STEP;
      const g = at(x);
      if (Math.sign(g) !== Math.sign(prev.g)) return s.spot * bisect(at, prev, { x, g });
      if (side === 'up') up = { x, g };
      else down = { x, g };
    }
  }
  return null;
}

function bisect(at: (x: number) => number, a: { x: number; g: number }, b: { x: number; g: number }): number {
  let [lo, hi] = [a, b];
  while (Math.abs(hi.x - lo.x) > 1e-7) {
    const x = (lo.x + hi.x) / 2;
    const g = at(x);
    if (g === 0) return x;
    if (Math.sign(g) === Math.sign(lo.g)) lo = { x, g };
    else hi = { x, g };
  }
  return (lo.x + hi.x) / 2;
}

export const gexTotal = defineFactor({
  name: 'gex_total',
  family: 'gamma',
  description:
    'Dealer gamma exposure over every listed expiry, ₹ crore per 1 % index move; dealers long calls and short ' +
    'puts (calls +, puts −). Positive: dealer hedging damps moves.',
  compute: gexAtSpot,
  expectedDecay: 2,
});

export const gexFlipDistance = defineFactor({
  name: 'gex_flip_distance',
  family: 'gamma',
  description:
    'Gamma flip level relative to spot, (S_flip − S)/S: the nearest index level (sticky-strike IVs, forwards ' +
    'scaled) where dealer GEX changes sign. Null when GEX keeps its sign within ±20 %.',
  compute: (s) => {
    const flip = gammaFlipLevel(s);
    return flip === null ? null : (flip - s.spot) / s.spot;
  },
  expectedDecay: 2,
});

export const GAMMA_FACTORS = [gexTotal, gexFlipDistance];
