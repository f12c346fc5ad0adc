/**
 * The paper broker's market: a seeded simulated day (domain/market) on a clock anchored to the
 * wall clock, so the exchange sees time pass (latencies elapse, cancels arrive) and prices move
 * once per simulated minute. The clock stops one second before the close instead of rolling
 * into the next day; a new session (date/seed) is set with configurePaperAccount.
 */
import { MARKET_CLOSE_MINUTE, MARKET_OPEN_MINUTE, tradingDayOnOrBefore } from '../../domain/calendar';
import { epochMsToIst, istEpochMs, istParts, type IsoDate } from '../../domain/dates';
import type { Instrument } from '../../domain/instruments';
import { buildChain, defaultExpiries, simulatedSource, type MarketSource, type OptionChain } from '../../domain/market';

export interface PaperMarketSession {
  readonly date: IsoDate;
  readonly seed: number;
  /** Simulated minutes after 09:15 at the anchor instant. */
  readonly startMinute: number;
  /** Simulated milliseconds per wall millisecond (1 = real time). */
  readonly speed: number;
  /** Wall-clock epoch ms the session started at. */
  readonly anchorMs: number;
}

export function defaultSession(nowMs: number, seed: number): PaperMarketSession {
  return { date: tradingDayOnOrBefore(istParts(nowMs).date), seed, startMinute: 15, speed: 1, anchorMs: nowMs };
}

/** Simulated epoch ms for a wall-clock instant, inside [open, close − 1 s). */
export function simulatedMs(s: PaperMarketSession, nowMs: number): number {
  const open = istEpochMs(s.date, MARKET_OPEN_MINUTE);
  const close = istEpochMs(s.date, MARKET_CLOSE_MINUTE) - 1000;
  const t = open + s.startMinute * 60_000 + Math.max(0, nowMs - s.anchorMs) * s.speed;
  return Math.min(Math.max(open, Math.round(t)), close);
}

const sources = new Map<string, MarketSource>();

/** Simulating a day is deterministic in (instrument, date, seed): cache a few per process. */
function source(instrument: Instrument, s: PaperMarketSession): MarketSource {
  const key = `${instrument}|${s.date}|${s.seed}`;
  let src = sources.get(key);
  if (!src) {
    if (sources.size > 16) sources.delete(sources.keys().next().value!);
    src = simulatedSource({ instrument, date: s.date, seed: s.seed });
    sources.set(key, src);
  }
  return src;
}

/**
 * The chain at a simulated instant: prices of the minute in progress, stamped with the exact
 * instant (the exchange measures latency on it), listing the default expiries plus any the
 * caller needs (expiries of working orders).
 */
export function chainAt(
  instrument: Instrument,
  s: PaperMarketSession,
  simMs: number,
  extraExpiries: readonly IsoDate[] = [],
): OptionChain {
  const minute = Math.min(374, Math.max(0, Math.floor((simMs - istEpochMs(s.date, MARKET_OPEN_MINUTE)) / 60_000)));
  const snapshot = source(instrument, s).snapshotAt(minute);
  const expiries = [...new Set([...defaultExpiries(snapshot), ...extraExpiries.filter((e) => e >= s.date)])].sort();
  // Prices change once a simulated minute: build each minute's chain once (a few ms), then
  // only re-stamp it with the exact instant. Chains are never mutated by their readers.
  const key = `${instrument}|${s.date}|${s.seed}|${minute}|${expiries.join(',')}`;
  let chain = chains.get(key);
  if (!chain) {
    if (chains.size > 32) chains.delete(chains.keys().next().value!);
    chain = buildChain(snapshot, { expiries });
    chains.set(key, chain);
  }
  return { ...chain, timestamp: epochMsToIst(simMs) };
}

const chains = new Map<string, OptionChain>();
