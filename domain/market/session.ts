/**
 * Seeded market simulator: one trading day of NIFTY or BANKNIFTY as 375 one-minute bars
 * (09:15 → 15:30 IST) with a regime label and implied-vol surface state on every bar. The same
 * (instrument, date, seed, options) always gives the same day, to the bit: all randomness
 * comes from one Rng seeded from those inputs, and values are rounded (index to the paisa,
 * surface parameters to 6 d.p.) before they are stored so a CSV round trip is lossless.
 *
 * Index: log-returns with drift, a U-shaped intraday volatility profile (busy open and close),
 * and compound-Poisson jumps. Surface: ATM vol, skew, smile and term slope relax towards the
 * regime's targets, ATM vol rises as the index falls (the leverage effect) and carries its
 * own noise. Regimes switch by a per-minute Markov chain unless forced, and a large down-jump
 * tips the market into panic.
 */
import { SESSION_MINUTES, MARKET_OPEN_MINUTE, isTradingDay, nextTradingDay } from '../calendar';
import { istTimestamp, type IsoDate } from '../dates';
import { REFERENCE_LEVEL, type Instrument } from '../instruments';
import { Rng } from '../random';
import { OPENING_REGIME_WEIGHTS, PANIC_JUMP_THRESHOLD, REGIME_PARAMS, REGIME_SWITCH_PER_MINUTE } from './regimes';
import { REGIMES, type MarketBar, type MarketDay, type Regime } from './types';

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
}

/** Trading minutes in a year (252 sessions of 375 minutes): the clock diffusion runs on. */
const MINUTES_PER_YEAR = 252 * SESSION_MINUTES;
/** Fraction of the gap to its regime target the surface closes each minute. */
const SURFACE_RELAXATION = 0.04;
/** ATM vol moves by −LEVERAGE × (index return since the open), relative. */
const LEVERAGE = 4;

const r2 = (x: number) => Math.round(x * 100) / 100;
const r6 = (x: number) => Number(x.toFixed(6));

/** Busier open and close; normalised so the day's variance matches the annual vol. */
function intradayProfile(): number[] {
  const raw: number[] = [];
  for (let m = 0; m < SESSION_MINUTES; m++) {
    raw.push(0.8 + 0.9 * Math.exp(-m / 20) + 0.5 * Math.exp(-(SESSION_MINUTES - 1 - m) / 25));
  }
  const meanSq = raw.reduce((a, x) => a + x * x, 0) / raw.length;
  return raw.map((x) => x / Math.sqrt(meanSq));
}

function drawRegime(rng: Rng): Regime {
  let u = rng.next();
  for (const r of REGIMES) {
    u -= OPENING_REGIME_WEIGHTS[r];
    if (u < 0) return r;
  }
  return 'calm';
}

function nextRegime(rng: Rng, current: Regime): Regime {
  const u = rng.next();
  let acc = 0;
  for (const [to, p] of Object.entries(REGIME_SWITCH_PER_MINUTE[current]) as Array<[Regime, number]>) {
    acc += p;
    if (u < acc) return to;
  }
  return current;
}

export function simulateDay(options: SimulateDayOptions): MarketDay {
  const { instrument, date, seed } = options;
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be an integer');
  const rng = new Rng(`${seed}|${instrument}|${date}`);
  const profile = intradayProfile();
  const dt = 1 / MINUTES_PER_YEAR;

  let regime: Regime = options.regime ?? options.startRegime ?? drawRegime(rng);
  let spot = r2(options.startSpot ?? REFERENCE_LEVEL[instrument] * Math.exp(0.04 * rng.normal()));
  const dayOpen = spot;
  // Each regime episode gets its own drift direction (panic always down).
  const driftSign = (r: Regime) => (REGIME_PARAMS[r].driftDown ? -1 : rng.chance(0.5) ? 1 : -1);
  let sign = driftSign(regime);
  const target0 = REGIME_PARAMS[regime];
  const s0 = options.startSurface;
  let atmVol = s0?.atmVol ?? target0.atmVol * Math.exp(0.1 * rng.normal());
  let skew = s0?.skew ?? target0.skew;
  let smile = s0?.smile ?? target0.smile;
  let termSlope = s0?.termSlope ?? target0.termSlope;
  let stress = s0?.stress ?? target0.stress;

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
    const sigma = p.vol * profile[m]! * Math.sqrt(dt);
    let logRet = (sign * p.dayDrift) / SESSION_MINUTES - 0.5 * sigma * sigma + sigma * rng.normal();
    const jumps = rng.poisson(p.jumpsPerDay / SESSION_MINUTES);
    let bigDrop = false;
    for (let j = 0; j < jumps; j++) {
      const size = p.jumpMean + p.jumpSd * rng.normal();
      if (size < PANIC_JUMP_THRESHOLD) bigDrop = true;
      logRet += size;
    }
    const open = spot;
    const close = r2(open * Math.exp(logRet));
    // Intra-minute excursions beyond the open/close, scaled to the minute's volatility.
    const high = r2(Math.max(open, close) * Math.exp(Math.abs(rng.normal()) * sigma * 0.5));
    const low = r2(Math.min(open, close) * Math.exp(-Math.abs(rng.normal()) * sigma * 0.5));
    if (bigDrop && options.regime === undefined && regime !== 'panic') {
      regime = 'panic';
      sign = -1;
    }

    const t = REGIME_PARAMS[regime];
    const sinceOpen = Math.log(close / dayOpen);
    const atmTarget = t.atmVol * Math.exp(-LEVERAGE * sinceOpen);
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
  return { instrument, date, origin: 'simulator', seed, bars };
}

export interface SimulateDaysOptions {
  readonly instrument: Instrument;
  /** First date; non-trading dates are skipped. */
  readonly fromDate: IsoDate;
  readonly days: number;
  readonly seed: number;
  readonly startSpot?: number;
}

/**
 * Consecutive trading days, each opening from the previous close with an overnight gap and
 * carrying the regime and surface over (so panics persist and decay across days).
 */
export function simulateDays(options: SimulateDaysOptions): MarketDay[] {
  const out: MarketDay[] = [];
  let date = isTradingDay(options.fromDate) ? options.fromDate : nextTradingDay(options.fromDate);
  let prev: MarketBar | undefined;
  for (let i = 0; i < options.days; i++) {
    const gapRng = new Rng(`${options.seed}|${options.instrument}|${date}|gap`);
    const startSpot = prev
      ? r2(prev.close * Math.exp(REGIME_PARAMS[prev.regime].vol * 0.35 * Math.sqrt(1 / 252) * gapRng.normal()))
      : options.startSpot;
    const day = simulateDay({
      instrument: options.instrument,
      date,
      seed: options.seed,
      startSpot,
      startRegime: prev?.regime,
      startSurface: prev,
    });
    out.push(day);
    prev = day.bars[day.bars.length - 1];
    date = nextTradingDay(date);
  }
  return out;
}
