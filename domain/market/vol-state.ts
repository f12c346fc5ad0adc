/**
 * The simulator's hidden volatility state, so that volatility clusters within a day and
 * persists across days as it does in index data:
 *
 * - `variance`: a GJR-GARCH(1,1) multiplier (mean 1) on the minute variance, driven by the
 *   diffusion shocks; a large move, more so a fall, raises the next minutes' vol, which then
 *   decays with a half-life of about 45 minutes.
 * - `level`: a log multiplier on the regime's vol, fixed within a day and AR(1) from one
 *   trading day to the next (stationary sd 0.15): some weeks are busier than others.
 *
 * Implied vol follows the vol the market expects: the regime's typical IV scaled by the level
 * and, partly, by the current variance multiplier. Jumps stay out of the GARCH recursion (a
 * jump is not a diffusion shock; feeding it back would make panic explode).
 */
import type { Rng } from '../random';

export interface VolState {
  /** GARCH variance multiplier, mean 1. */
  readonly variance: number;
  /** Log multiplier on the regime's vol for the day. */
  readonly level: number;
}

/** Per-minute GJR-GARCH coefficients: α on z², γ more on a negative z, β persistence. */
export const VOL_CLUSTERING = { alpha: 0.045, gamma: 0.03, beta: 0.925 } as const;
/** Stationary sd and day-to-day autocorrelation of the log vol level. */
export const VOL_LEVEL = { sd: 0.15, dailyPersistence: 0.85 } as const;
/** Share of the variance multiplier's deviation from 1 that the 30-day implied vol prices. */
const IV_VARIANCE_WEIGHT = 0.25;
/** Share of the variance multiplier's deviation from 1 left after the overnight break. */
const OVERNIGHT_VARIANCE_CARRY = 0.5;

const { alpha, gamma, beta } = VOL_CLUSTERING;
const OMEGA = 1 - alpha - gamma / 2 - beta;

/** The next minute's variance multiplier after a standardised diffusion shock `z`. */
export function nextVariance(variance: number, z: number): number {
  const shock = (alpha + (z < 0 ? gamma : 0)) * z * z;
  return Math.min(OMEGA + (shock + beta) * variance, 25);
}

/** A day's opening state when nothing is carried over: level drawn from its stationary law. */
export function drawVolState(rng: Rng): VolState {
  return { variance: 1, level: VOL_LEVEL.sd * rng.normal() };
}

/** The next trading day's opening state: variance relaxes overnight, the level steps AR(1). */
export function overnightVolState(prev: VolState, rng: Rng): VolState {
  const phi = VOL_LEVEL.dailyPersistence;
  return {
    variance: 1 + OVERNIGHT_VARIANCE_CARRY * (prev.variance - 1),
    level: phi * prev.level + Math.sqrt(1 - phi * phi) * VOL_LEVEL.sd * rng.normal(),
  };
}

/** Multiplier on the regime's typical ATM implied vol for the current state. */
export function impliedVolScale(state: VolState): number {
  return Math.exp(state.level) * Math.sqrt(1 + IV_VARIANCE_WEIGHT * (state.variance - 1));
}
