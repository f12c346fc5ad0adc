/**
 * What followed a decision: forward targets over the next `horizon` minutes of the same session,
 * read from the day's minute bars. The path starts at the decision's spot (the close of the last
 * completed bar, or the open at 09:15, as the snapshot sees it) and runs through the closes of
 * the next `horizon` bars.
 */
import { MARKET_OPEN_MINUTE, SESSION_MINUTES } from '../calendar';
import { istParts, timestampToEpochMs } from '../dates';
import type { MarketDay } from '../market/types';

export interface ForwardTargets {
  readonly horizonMinutes: number;
  /** ln(close at the horizon / spot). */
  readonly logReturn: number;
  /** √(Σ r² / horizon · 375 · 252): the window's one-minute realised vol, annualised. */
  readonly realisedVol: number;
  /** ln(highest high / lowest low) over the window's bars. */
  readonly logRange: number;
  /** |net log move| / Σ |one-minute log moves|, in [0, 1] (Kaufman efficiency of the path). */
  readonly efficiency: number;
  /** (up − down) / (up + down) of the excursions ln(max high / spot) and ln(spot / min low), in [−1, 1]. */
  readonly asymmetry: number;
  /** The largest |one-minute log return| in the window. */
  readonly maxAbsMinuteReturn: number;
}

const minuteOf = (ts: string) => istParts(timestampToEpochMs(ts)).minuteOfDay - MARKET_OPEN_MINUTE;

/** Forward targets from decision minute `minute` (0 … 375); null when the window leaves the session or has gaps. */
export function forwardTargets(day: MarketDay, minute: number, horizon: number): ForwardTargets | null {
  if (!Number.isInteger(horizon) || horizon < 2) {
    throw new RangeError(`horizon must be an integer ≥ 2, got ${horizon}`);
  }
  if (minute + horizon > SESSION_MINUTES) return null;
  const start = day.bars.findIndex((b) => minuteOf(b.timestamp) >= minute);
  if (start < 0) return null;
  const window = day.bars.slice(start, start + horizon);
  if (window.length < horizon || minuteOf(window[0]!.timestamp) !== minute) return null;
  if (minuteOf(window[horizon - 1]!.timestamp) !== minute + horizon - 1) return null;
  const spot = start === 0 ? day.bars[0]!.open : day.bars[start - 1]!.close;
  let prev = spot;
  let sumSq = 0;
  let sumAbs = 0;
  let maxAbs = 0;
  let high = -Infinity;
  let low = Infinity;
  for (const b of window) {
    const r = Math.log(b.close / prev);
    sumSq += r * r;
    sumAbs += Math.abs(r);
    maxAbs = Math.max(maxAbs, Math.abs(r));
    high = Math.max(high, b.high);
    low = Math.min(low, b.low);
    prev = b.close;
  }
  const logReturn = Math.log(prev / spot);
  const up = Math.max(0, Math.log(high / spot));
  const down = Math.max(0, Math.log(spot / low));
  return {
    horizonMinutes: horizon,
    logReturn,
    realisedVol: Math.sqrt((sumSq / horizon) * SESSION_MINUTES * 252),
    logRange: Math.log(high / low),
    efficiency: sumAbs > 0 ? Math.abs(logReturn) / sumAbs : 0,
    asymmetry: up + down > 0 ? (up - down) / (up + down) : 0,
    maxAbsMinuteReturn: maxAbs,
  };
}
