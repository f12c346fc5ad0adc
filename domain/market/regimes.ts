/**
 * Regime parameters for the simulator: how the index moves and where the vol surface wants to
 * be in each regime. Calm drifts sideways on low vol with an upward-sloping term structure and
 * pulls back towards its recent average (range-bound); trending carries a directional drift on
 * moderate vol that feeds on its own recent moves (momentum); panic sells off on high vol with
 * downward jumps, a steep put skew and an inverted term structure.
 *
 * Implied vol sits above the vol the index then realises in calm and trending markets (a
 * volatility risk premium: atmVol > vol) and below it in panic, where jumps and the sell-off
 * outrun what the surface prices (atmVol < vol, before jumps).
 */
import type { Regime } from './types';

export interface RegimeParams {
  /** Annualised diffusion volatility of the index. */
  readonly vol: number;
  /** Magnitude of the day's drift as a fraction of the index (sign chosen per day). */
  readonly dayDrift: number;
  /** Whether the drift's sign is forced down (panic sells off). */
  readonly driftDown: boolean;
  /** Expected jumps per day, and jump size (log) mean and sd. */
  readonly jumpsPerDay: number;
  readonly jumpMean: number;
  readonly jumpSd: number;
  /** Where the IV surface relaxes to. */
  readonly atmVol: number;
  readonly skew: number;
  readonly smile: number;
  readonly termSlope: number;
  /** Vol-of-vol: per-minute relative noise on ATM vol. */
  readonly volOfVol: number;
  readonly stress: number;
  /** Per-minute drift as a share of the EWMA of recent minute returns (trend feeding on itself). */
  readonly trendFeedback: number;
  /** Per-minute pull of the index back towards its slow moving average, as a share of the gap. */
  readonly meanReversion: number;
}

const TREND_FEEDBACK = 0.3;
const MEAN_REVERSION_CALM = 1 / 90;

export const REGIME_PARAMS: Readonly<Record<Regime, RegimeParams>> = {
  calm: {
    vol: 0.1,
    dayDrift: 0.001,
    driftDown: false,
    jumpsPerDay: 0.05,
    jumpMean: 0,
    jumpSd: 0.002,
    atmVol: 0.11,
    skew: -0.18,
    smile: 0.04,
    termSlope: 0.06,
    volOfVol: 0.002,
    stress: 0,
    trendFeedback: 0,
    meanReversion: MEAN_REVERSION_CALM,
  },
  trending: {
    vol: 0.16,
    dayDrift: 0.009,
    driftDown: false,
    jumpsPerDay: 0.5,
    jumpMean: 0,
    jumpSd: 0.0035,
    atmVol: 0.175,
    skew: -0.2,
    smile: 0.045,
    termSlope: 0.02,
    volOfVol: 0.003,
    stress: 0.3,
    trendFeedback: TREND_FEEDBACK,
    meanReversion: 0,
  },
  panic: {
    vol: 0.38,
    dayDrift: 0.02,
    driftDown: true,
    jumpsPerDay: 4,
    jumpMean: -0.004,
    jumpSd: 0.005,
    atmVol: 0.3,
    skew: -0.25,
    smile: 0.055,
    termSlope: -0.15,
    volOfVol: 0.006,
    stress: 1,
    trendFeedback: 0,
    meanReversion: 0,
  },
};

/** Per-minute switching probabilities when the regime is not forced (rows sum below 1; the rest is "stay"). */
export const REGIME_SWITCH_PER_MINUTE: Readonly<Record<Regime, Readonly<Partial<Record<Regime, number>>>>> = {
  calm: { trending: 0.0012, panic: 0.0002 },
  trending: { calm: 0.001, panic: 0.0006 },
  panic: { trending: 0.002, calm: 0.0003 },
};

/** Chance each regime opens a day when none is given. */
export const OPENING_REGIME_WEIGHTS: Readonly<Record<Regime, number>> = { calm: 0.6, trending: 0.3, panic: 0.1 };

/** A single jump larger than this (downwards, in log terms) tips the market into panic. */
export const PANIC_JUMP_THRESHOLD = -0.008;
