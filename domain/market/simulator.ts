/**
 * Seeded market simulator, the public entry points (the model is in `session.ts`):
 * `simulateDay` for one day, `simulateDays` for a run of consecutive trading days. In a run,
 * each day opens from the previous close with an overnight gap and carries the regime, the
 * surface and the hidden vol state over (the variance multiplier half-relaxed overnight, the
 * vol level one AR(1) step on), so panics persist and decay across days and factors that need
 * history (HAR-RV, IV rank) see a coherent one. Same inputs → byte-identical days; day d of a
 * run differs from `simulateDay` for d alone only through what it carries in.
 */
import { isTradingDay, nextTradingDay } from '../calendar';
import type { IsoDate } from '../dates';
import type { Instrument } from '../instruments';
import { Rng } from '../random';
import { REGIME_PARAMS } from './regimes';
import { simulateSession, type SessionEnd, type SimulateDayOptions } from './session';
import type { MarketDay } from './types';
import { overnightVolState } from './vol-state';

export type { SimulateDayOptions };

/** One simulated trading day (see `session.ts` for the model). */
export function simulateDay(options: SimulateDayOptions): MarketDay {
  return simulateSession(options).day;
}

export interface SimulateDaysOptions {
  readonly instrument: Instrument;
  /** First date; non-trading dates are skipped. */
  readonly fromDate: IsoDate;
  readonly days: number;
  readonly seed: number;
  readonly startSpot?: number;
}

/** Overnight gaps are this share of a day's diffusion sd. */
const GAP_SHARE = 0.35;

export function simulateDays(options: SimulateDaysOptions): MarketDay[] {
  const out: MarketDay[] = [];
  let date = isTradingDay(options.fromDate) ? options.fromDate : nextTradingDay(options.fromDate);
  let prev: SessionEnd | undefined;
  for (let i = 0; i < options.days; i++) {
    const gapRng = new Rng(`${options.seed}|${options.instrument}|${date}|gap`);
    let startSpot = options.startSpot;
    let startVol;
    if (prev) {
      const last = prev.lastBar;
      const daySd = REGIME_PARAMS[last.regime].vol * Math.exp(prev.volState.level) * Math.sqrt(1 / 252);
      startSpot = Math.round(last.close * Math.exp(GAP_SHARE * daySd * gapRng.normal()) * 100) / 100;
      startVol = overnightVolState(prev.volState, gapRng);
    }
    const session = simulateSession({
      instrument: options.instrument,
      date,
      seed: options.seed,
      startSpot,
      startRegime: prev?.lastBar.regime,
      startSurface: prev?.lastBar,
      startVol,
    });
    out.push(session.day);
    prev = session.end;
    date = nextTradingDay(date);
  }
  return out;
}
