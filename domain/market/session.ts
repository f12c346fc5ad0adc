/**
 * The simulator's engine: one trading day of NIFTY or BANKNIFTY as 375 one-minute bars
 * (09:15 → 15:30 IST) with a regime label and implied-vol surface state on every bar. The same
 * (instrument, date, seed, options) always gives the same day, to the bit: all randomness
 * comes from one Rng seeded from those inputs, and values are rounded (index to the paisa,
 * surface parameters to 6 d.p.) before they are stored so a CSV round trip is lossless.
 *
 * Index: log-returns with a U-shaped intraday volatility profile (busy open and close), a
 * GJR-GARCH variance multiplier and a daily vol level (`vol-state.ts`: vol clusters), a drift
 * that depends on the regime — directional and self-reinforcing when trending, pulled back to
 * a slow moving average when calm, down in panic — and compound-Poisson jumps (fat tails).
 * Surface: ATM vol, skew, smile and term slope relax towards the regime's targets; ATM vol
 * tracks the vol state, rises as the index falls (the leverage effect) and carries its own
 * noise. Regimes switch by a per-minute Markov chain unless forced, and a large down-jump tips
 * the market into panic.
 */
import { SESSION_MINUTES, MARKET_OPEN_MINUTE } from '../calendar';
import { istTimestamp, type IsoDate } from '../dates';
import { REFERENCE_LEVEL, type Instrument } from '../instruments';
import { Rng } from '../random';
import { OPENING_REGIME_WEIGHTS, PANIC_JUMP_THRESHOLD, REGIME_PARAMS, REGIME_SWITCH_PER_MINUTE } from './regimes';
import { REGIMES, type MarketBar, type MarketDay, type Regime } from './types';
import { drawVolState, impliedVolScale, nextVariance, type VolState } from './vol-state';

export interface SimulateDayOptions {
  readonly instrument: Instrument;
  readonly date: IsoDate;
  readonly seed: number;
  /** Hold this regime all day (no switching). */
  readonly regime?: Regime;
  /** Regime at the open when not forced; drawn from the seed otherwise. */
  readonly startRegime?: Regime;
  /** Index level at the open; drawn around the instrument's reference level otherwise. */
  readonly startSpot?: number;
  /** Surface state carried over from the previous day (multi-day simulations). */
  readonly startSurface?: Pick<MarketBar, 'atmVol' | 'skew' | 'smile' | 'termSlope' | 'stress'>;
  /** Hidden vol state carried over from the previous day; drawn from its stationary law otherwise. */
  readonly startVol?: VolState;
}

/** What a session hands to the next trading day. */
export interface SessionEnd {
  readonly lastBar: MarketBar;
  readonly volState: VolState;
}

/** Trading minutes in a year (252 sessions of 375 minutes): the clock diffusion runs on. */
const MINUTES_PER_YEAR = 252 * SESSION_MINUTES;
/** Fraction of the gap to its regime target the surface closes each minute. */
const SURFACE_RELAXATION = 0.04;
/** ATM vol moves by −LEVERAGE × (index return since the open), relative. */
const LEVERAGE = 4;
/** Per-minute decay of the EWMA of returns that trends feed on (half-life 30 minutes). */
const MOMENTUM_DECAY = Math.pow(0.5, 1 / 30);
/** Per-minute decay of the moving average calm markets revert to (half-life 90 minutes). */
const ANCHOR_DECAY = Math.pow(0.5, 1 / 90);

const r2 = (x: number) => Math.round(x * 100) / 100;
/** To 6 d.p.: the double nearest k / 10⁶, whose shortest text has at most 6 decimals (CSV-exact). */
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Busier open and close; normalised so the day's variance matches the annual vol. */
function intradayProfile(): number[] {
  const raw: number[] = [];
  for (let m = 0; m < SESSION_MINUTES; m++) {
    raw.push(0.8 + 0.9 * Math.exp(-m / 20) + 0.5 * Math.exp(-(SESSION_MINUTES - 1 - m) / 25));
  }
  const meanSq = raw.reduce((a, x) => a + x * x, 0) / raw.length;
  return raw.map((x) => x / Math.sqrt(meanSq));
}

/** The intraday volatility profile (mean square 1): divide minute returns by it to deseasonalise. */
export const INTRADAY_VOL_PROFILE: readonly number[] = intradayProfile();

function drawRegime(rng: Rng): Regime {
  let u = rng.next();
  for (const r of REGIMES) {
    u -= OPENING_REGIME_WEIGHTS[r];
    if (u < 0) return r;
  }
  return 'calm';
}

/** Each regime's exits as [to, probability] pairs, built once. */
const SWITCHES: Readonly<Record<Regime, ReadonlyArray<readonly [Regime, number]>>> = {
  calm: switchesFrom('calm'),
  trending: switchesFrom('trending'),
  panic: switchesFrom('panic'),
};

function switchesFrom(r: Regime): Array<readonly [Regime, number]> {
  return Object.entries(REGIME_SWITCH_PER_MINUTE[r]) as Array<[Regime, number]>;
}

function nextRegime(rng: Rng, current: Regime): Regime {
  const u = rng.next();
  let acc = 0;
  for (const [to, p] of SWITCHES[current]) {
    acc += p;
    if (u < acc) return to;
  }
  return current;
}

/** One day and the state it ends in (what `simulateDays` carries to the next day). */
export function simulateSession(options: SimulateDayOptions): { day: MarketDay; end: SessionEnd } {
  const { instrument, date, seed } = options;
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be an integer');
  const rng = new Rng(`${seed}|${instrument}|${date}`);
  const profile = INTRADAY_VOL_PROFILE;
  const sqrtDt = Math.sqrt(1 / MINUTES_PER_YEAR);

  let regime: Regime = options.regime ?? options.startRegime ?? drawRegime(rng);
  let spot = r2(options.startSpot ?? REFERENCE_LEVEL[instrument] * Math.exp(0.04 * rng.normal()));
  const dayOpen = spot;
  // Each regime episode gets its own drift direction (panic always down).
  const driftSign = (r: Regime) => (REGIME_PARAMS[r].driftDown ? -1 : rng.chance(0.5) ? 1 : -1);
  let sign = driftSign(regime);
  const target0 = REGIME_PARAMS[regime];
  const vol0 = options.startVol ?? drawVolState(rng);
  const levelScale = Math.exp(vol0.level);
  let variance = vol0.variance;
  const s0 = options.startSurface;
  let atmVol = s0?.atmVol ?? target0.atmVol * impliedVolScale(vol0) * Math.exp(0.1 * rng.normal());
  let skew = s0?.skew ?? target0.skew;
  let smile = s0?.smile ?? target0.smile;
  let termSlope = s0?.termSlope ?? target0.termSlope;
  let stress = s0?.stress ?? target0.stress;
  /** EWMA of minute log-returns (what a trend feeds on) and log of the slow moving average. */
  let momentum = 0;
  let anchor = Math.log(spot);

  const bars: MarketBar[] = [];
  for (let m = 0; m < SESSION_MINUTES; m++) {
    if (options.regime === undefined && m > 0) {
      const switched = nextRegime(rng, regime);
      if (switched !== regime) {
        regime = switched;
        sign = driftSign(regime);
      }
    }
    const p = REGIME_PARAMS[regime];
    const sigma = p.vol * levelScale * profile[m]! * Math.sqrt(variance) * sqrtDt;
    const drift =
      (sign * p.dayDrift) / SESSION_MINUTES + p.trendFeedback * momentum - p.meanReversion * (Math.log(spot) - anchor);
    const z = rng.normal();
    let logRet = drift - 0.5 * sigma * sigma + sigma * z;
    const jumps = rng.poisson(p.jumpsPerDay / SESSION_MINUTES);
    let bigDrop = false;
    for (let j = 0; j < jumps; j++) {
      const size = p.jumpMean + p.jumpSd * rng.normal();
      if (size < PANIC_JUMP_THRESHOLD) bigDrop = true;
      logRet += size;
    }
    variance = nextVariance(variance, z);
    momentum = MOMENTUM_DECAY * momentum + (1 - MOMENTUM_DECAY) * logRet;
    const open = spot;
    const close = r2(open * Math.exp(logRet));
    anchor = ANCHOR_DECAY * anchor + (1 - ANCHOR_DECAY) * Math.log(close);
    // Intra-minute excursions beyond the open/close, scaled to the minute's volatility.
    const high = r2(Math.max(open, close) * Math.exp(Math.abs(rng.normal()) * sigma * 0.5));
    const low = r2(Math.min(open, close) * Math.exp(-Math.abs(rng.normal()) * sigma * 0.5));
    if (bigDrop && options.regime === undefined && regime !== 'panic') {
      regime = 'panic';
      sign = -1;
    }

    const t = REGIME_PARAMS[regime];
    const sinceOpen = Math.log(close / dayOpen);
    const atmTarget = t.atmVol * impliedVolScale({ level: vol0.level, variance }) * Math.exp(-LEVERAGE * sinceOpen);
    atmVol += SURFACE_RELAXATION * (atmTarget - atmVol) + atmVol * t.volOfVol * rng.normal();
    atmVol = Math.min(Math.max(atmVol, 0.04), 1.5);
    skew += SURFACE_RELAXATION * (t.skew - skew);
    smile += SURFACE_RELAXATION * (t.smile - smile);
    termSlope += SURFACE_RELAXATION * (t.termSlope - termSlope);
    stress += SURFACE_RELAXATION * 2 * (t.stress - stress);

    bars.push({
      timestamp: istTimestamp(date, MARKET_OPEN_MINUTE + m),
      open,
      high,
      low,
      close,
      regime,
      atmVol: r6(atmVol),
      skew: r6(skew),
      smile: r6(smile),
      termSlope: r6(termSlope),
      stress: r6(Math.min(Math.max(stress, 0), 1)),
    });
    spot = close;
  }
  const day: MarketDay = { instrument, date, origin: 'simulator', seed, bars };
  return { day, end: { lastBar: bars[bars.length - 1]!, volState: { level: vol0.level, variance } } };
}
