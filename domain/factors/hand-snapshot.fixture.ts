/**
 * A small hand-built decision snapshot for the factor tests: three expiries of five (or three)
 * strikes with chosen IVs, deltas, gammas, OI and volume, 40 minute bars and 30 daily bars from
 * closed-form sequences, a calendar written out. Only the tests import it. Its numbers are chosen
 * so that chain-based factors can be worked out by hand (see factors.test.ts).
 */
import type { ChainExpiry, OptionQuote } from '../market';
import type { DailyBar, DecisionSnapshot, SnapshotBar } from '../snapshot/types';

interface Row {
  strike: number;
  iv: number;
  callDelta: number;
  gamma: number;
  callOi: number;
  putOi: number;
  callVolume: number;
  putVolume: number;
}

function quotes(rows: readonly Row[]): OptionQuote[] {
  return rows.flatMap((r) => {
    const common = { bid: 1, ask: 1.1, mid: 1.05, bidQty: 75, askQty: 75, iv: r.iv, gamma: r.gamma, vega: 0, theta: 0 };
    return [
      { ...common, strike: r.strike, type: 'call' as const, delta: r.callDelta, oi: r.callOi, volume: r.callVolume },
      {
        ...common,
        strike: r.strike,
        type: 'put' as const,
        delta: r.callDelta - 1,
        oi: r.putOi,
        volume: r.putVolume,
      },
    ];
  });
}

function expiry(date: string, days: number, forward: number, rows: readonly Row[]): ChainExpiry {
  return { expiry: date, years: days / 365, forward, atmStrike: 100, atmVol: 0.16, quotes: quotes(rows) };
}

// Front weekly, 6.2 days out. Put deltas are call delta − 1 (undiscounted parity is close enough here).
export const E1 = expiry('2026-05-12', 6.2, 100.1, [
  { strike: 90, iv: 0.24, callDelta: 0.95, gamma: 0.002, callOi: 100, putOi: 1000, callVolume: 10, putVolume: 300 },
  { strike: 95, iv: 0.2, callDelta: 0.85, gamma: 0.01, callOi: 300, putOi: 1500, callVolume: 40, putVolume: 500 },
  { strike: 100, iv: 0.17, callDelta: 0.52, gamma: 0.03, callOi: 1200, putOi: 1100, callVolume: 600, putVolume: 550 },
  { strike: 105, iv: 0.16, callDelta: 0.2, gamma: 0.012, callOi: 1600, putOi: 400, callVolume: 450, putVolume: 120 },
  { strike: 110, iv: 0.165, callDelta: 0.05, gamma: 0.003, callOi: 800, putOi: 100, callVolume: 150, putVolume: 30 },
]);

// The expiry nearest 30 days: where skew is read.
export const E2 = expiry('2026-05-26', 20.2, 100.3, [
  { strike: 90, iv: 0.205, callDelta: 0.9, gamma: 0.001, callOi: 200, putOi: 300, callVolume: 5, putVolume: 9 },
  { strike: 95, iv: 0.185, callDelta: 0.78, gamma: 0.004, callOi: 200, putOi: 300, callVolume: 5, putVolume: 9 },
  { strike: 100, iv: 0.16, callDelta: 0.5, gamma: 0.008, callOi: 200, putOi: 300, callVolume: 5, putVolume: 9 },
  { strike: 105, iv: 0.15, callDelta: 0.27, gamma: 0.005, callOi: 200, putOi: 300, callVolume: 5, putVolume: 9 },
  { strike: 110, iv: 0.148, callDelta: 0.12, gamma: 0.002, callOi: 200, putOi: 300, callVolume: 5, putVolume: 9 },
]);

export const E3 = expiry('2026-06-30', 55.2, 100.8, [
  { strike: 95, iv: 0.19, callDelta: 0.7, gamma: 0.003, callOi: 100, putOi: 150, callVolume: 1, putVolume: 1 },
  { strike: 100, iv: 0.175, callDelta: 0.5, gamma: 0.004, callOi: 100, putOi: 150, callVolume: 1, putVolume: 1 },
  { strike: 105, iv: 0.17, callDelta: 0.32, gamma: 0.0035, callOi: 100, putOi: 150, callVolume: 1, putVolume: 1 },
]);

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** 40 completed minutes from 09:15: a drift up with a wobble. */
export const BARS: SnapshotBar[] = Array.from({ length: 40 }, (_, i) => {
  const close = r4(99 + 0.05 * (i + 1) + 0.3 * Math.sin(i + 1));
  const open = r4(99 + 0.05 * i + 0.3 * Math.sin(i));
  const timestamp = `2026-05-06T09:${String(15 + i).padStart(2, '0')}:00+05:30`;
  return { timestamp, open, high: Math.max(open, close) + 0.1, low: Math.min(open, close) - 0.1, close };
});

/** 30 previous trading days (weekdays back from 2026-05-05), oldest first. */
export const DAILY: DailyBar[] = (() => {
  const dates: string[] = [];
  for (let t = Date.UTC(2026, 4, 5); dates.length < 30; t -= 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.unshift(d.toISOString().slice(0, 10));
  }
  return dates.map((date, i) => {
    const close = r4(100 * Math.exp(0.01 * Math.sin(1.3 * i) + 0.002 * i));
    const open = r4(close * (1 - 0.004 * Math.cos(i)));
    return {
      date,
      open,
      high: r4(Math.max(open, close) * (1 + 0.003 + 0.002 * Math.abs(Math.sin(i)))),
      low: r4(Math.min(open, close) * (1 - 0.004 - 0.001 * Math.abs(Math.cos(i)))),
      close,
      realisedVariance: 0.0001 * (1 + 0.5 * Math.cos(i)),
      volIndex: r4(0.14 + 0.02 * Math.sin(i / 3)),
    };
  });
})();

/** Weekdays from 2026-05-06 through 2026-06-30 without the 28 May and 26 June holidays. */
const TRADING_DAYS: string[] = (() => {
  const out: string[] = [];
  for (let t = Date.UTC(2026, 4, 6); t <= Date.UTC(2026, 5, 30); t += 86_400_000) {
    const d = new Date(t);
    const iso = d.toISOString().slice(0, 10);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && iso !== '2026-05-28' && iso !== '2026-06-26') out.push(iso);
  }
  return out;
})();

export const SPOT = BARS[BARS.length - 1]!.close;

export const HAND_SNAPSHOT: DecisionSnapshot = {
  id: 'snap_hand',
  version: 1,
  instrument: 'NIFTY',
  date: '2026-05-06',
  at: '2026-05-06T09:55:00+05:30',
  minute: 40,
  origin: 'simulator',
  spot: SPOT,
  sessionOpen: 99,
  forward: 100.1,
  future: { expiry: '2026-05-26', price: 100.3 },
  rates: { rate: 0.065, dividendYield: 0.012 },
  surface: { atmVol: 0.16, skew: -0.2, smile: 0.05, termSlope: 0.05 },
  stress: 0.1,
  sourceRegime: 'calm',
  chain: {
    instrument: 'NIFTY',
    date: '2026-05-06',
    timestamp: '2026-05-06T09:55:00+05:30',
    spot: SPOT,
    regime: 'calm',
    stress: 0.1,
    rates: { rate: 0.065, dividendYield: 0.012 },
    lotSize: 75,
    strikeStep: 5,
    tickSize: 0.05,
    expiries: [E1, E2, E3],
  },
  volIndex: 0.16,
  realisedVol: { intraday: 0.13, closeToClose20d: 0.11 },
  bars: BARS,
  daily: DAILY,
  calendar: {
    expiries: ['2026-05-12', '2026-05-26', '2026-06-30'],
    expiryToday: null,
    tradingDays: TRADING_DAYS,
    holidays: [
      { date: '2026-05-28', name: 'Bakri Id' },
      { date: '2026-06-26', name: 'Muharram' },
    ],
    events: [{ date: '2026-05-08', name: 'RBI policy' }],
  },
  previousOi: {
    snapshotId: 'snap_earlier',
    at: '2026-05-05T15:00:00+05:30',
    expiry: '2026-05-12',
    strikes: [
      { strike: 90, callOi: 100, putOi: 900 },
      { strike: 95, callOi: 250, putOi: 1300 },
      { strike: 100, callOi: 1200, putOi: 1000 },
      { strike: 105, callOi: 1500, putOi: 400 },
      { strike: 110, callOi: 800, putOi: 100 },
    ],
  },
};
