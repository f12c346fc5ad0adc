/**
 * buildDecisionSnapshot(source, at, history): the decision snapshot from any MarketSource
 * (simulated day, CSV replay, later a live feed), plus what the source cannot know: previous
 * days, an earlier snapshot (for OI change) and the scheduled events.
 */
import { listExpiries, MARKET_OPEN_MINUTE } from '../calendar';
import { istParts, timestampToEpochMs, type IsoDate } from '../dates';
import { resolveMinute, type ChainOptions, type MarketDay, type MarketSource } from '../market';
import { contentHash } from './content-hash';
import { summariseDay } from './daily-bars';
import { closeToCloseVol, intradayRealisedVol } from './realised-vol';
import { buildSnapshotCalendar, snapshotExpiries } from './snapshot-calendar';
import {
  DECISION_SNAPSHOT_VERSION,
  type DailyBar,
  type DecisionSnapshot,
  type DecisionSnapshotBody,
  type MarketEvent,
  type PreviousOi,
  type SnapshotBar,
} from './types';
import { volIndexFromChain } from './vol-index';

export interface SnapshotHistory {
  /** Previous trading days, oldest first: whole days (summarised here) or daily bars. */
  readonly days?: readonly (MarketDay | DailyBar)[];
  /** Keep at most this many of them, the most recent (default 252, a year). */
  readonly maxDays?: number;
  /** An earlier snapshot of the same instrument: its front-expiry OI feeds OI-change factors. */
  readonly previous?: Pick<DecisionSnapshot, 'id' | 'instrument' | 'at' | 'chain'> | null;
  readonly events?: readonly MarketEvent[];
  /** Chain shape; expiries default to snapshotExpiries() and always include the near-month future. */
  readonly chain?: ChainOptions;
}

export const DEFAULT_HISTORY_DAYS = 252;

function isMarketDay(d: MarketDay | DailyBar): d is MarketDay {
  return 'bars' in d;
}

function dailyBars(source: MarketSource, history: SnapshotHistory, rates: DecisionSnapshotBody['rates']): DailyBar[] {
  const days = history.days ?? [];
  const keep = days.slice(Math.max(0, days.length - (history.maxDays ?? DEFAULT_HISTORY_DAYS)));
  let prev: IsoDate = '';
  return keep.map((d) => {
    if (isMarketDay(d) && d.instrument !== source.instrument)
      throw new RangeError(`history day ${d.date} is ${d.instrument}, not ${source.instrument}`);
    if (!(d.date > prev && d.date < source.date))
      throw new RangeError(`history days must be ascending and before ${source.date} (got ${d.date} after ${prev})`);
    prev = d.date;
    return isMarketDay(d) ? summariseDay(d, rates) : d;
  });
}

function previousOi(source: MarketSource, at: string, history: SnapshotHistory): PreviousOi | null {
  const p = history.previous;
  if (!p) return null;
  if (p.instrument !== source.instrument) throw new RangeError(`previous snapshot is ${p.instrument}`);
  if (!(timestampToEpochMs(p.at) < timestampToEpochMs(at)))
    throw new RangeError(`previous snapshot is not before ${at}`);
  const front = p.chain.expiries[0];
  if (!front) return null;
  const byStrike = new Map<number, { strike: number; callOi: number; putOi: number }>();
  for (const q of front.quotes) {
    const row = byStrike.get(q.strike) ?? { strike: q.strike, callOi: 0, putOi: 0 };
    byStrike.set(q.strike, q.type === 'call' ? { ...row, callOi: q.oi } : { ...row, putOi: q.oi });
  }
  return {
    snapshotId: p.id,
    at: p.at,
    expiry: front.expiry,
    strikes: [...byStrike.values()].sort((a, b) => a.strike - b.strike),
  };
}

export function buildDecisionSnapshot(
  source: MarketSource,
  at: number | string,
  history: SnapshotHistory = {},
): DecisionSnapshot {
  const day = source.day;
  if (day.bars.length === 0) throw new RangeError(`no bars for ${day.instrument} on ${day.date}`);
  const minute = resolveMinute(day, at);
  const market = source.snapshotAt(minute);
  const future = listExpiries(source.instrument, source.date, 1, 'monthly')[0]!;
  const wanted = history.chain?.expiries ?? snapshotExpiries(source.instrument, source.date);
  const expiries = [...new Set([...wanted, future])].sort();
  const chain = source.chainAt(minute, { ...history.chain, expiries });
  const bars: SnapshotBar[] = day.bars
    .filter((b) => istParts(timestampToEpochMs(b.timestamp)).minuteOfDay - MARKET_OPEN_MINUTE + 1 <= minute)
    .map((b) => ({ timestamp: b.timestamp, open: b.open, high: b.high, low: b.low, close: b.close }));
  const sessionOpen = day.bars[0]!.open;
  const daily = dailyBars(source, history, market.rates);
  const body: DecisionSnapshotBody = {
    version: DECISION_SNAPSHOT_VERSION,
    instrument: source.instrument,
    date: source.date,
    at: market.timestamp,
    minute,
    origin: day.origin,
    spot: market.spot,
    sessionOpen,
    forward: chain.expiries[0]!.forward,
    future: { expiry: future, price: chain.expiries.find((e) => e.expiry === future)!.forward },
    rates: market.rates,
    surface: market.surface,
    stress: market.stress,
    sourceRegime: market.regime,
    chain,
    volIndex: volIndexFromChain(chain),
    realisedVol: {
      intraday: intradayRealisedVol(
        sessionOpen,
        bars.map((b) => b.close),
      ),
      closeToClose20d: closeToCloseVol(
        daily.map((d) => d.close),
        20,
      ),
    },
    bars,
    daily,
    calendar: buildSnapshotCalendar(source.instrument, source.date, expiries, history.events ?? []),
    previousOi: previousOi(source, market.timestamp, history),
  };
  return { id: decisionSnapshotId(body), ...body };
}

/** `snap_` + the content hash of a snapshot's body (everything but its id). */
export function decisionSnapshotId(body: DecisionSnapshotBody): string {
  const { id: _ignored, ...rest } = body as DecisionSnapshot;
  return `snap_${contentHash(rest)}`;
}

/** True when a snapshot read back still matches its id. */
export function verifyDecisionSnapshot(snapshot: DecisionSnapshot): boolean {
  return decisionSnapshotId(snapshot) === snapshot.id;
}
