/**
 * The book priced with Black-76 on a market snapshot: each open option position's price, vol and
 * greeks (per unit and for the position), and the portfolio's totals. A position the snapshot
 * cannot price (another instrument, no snapshot, not an option symbol) is listed with null greeks
 * and counted in `unpriced`, never guessed.
 */
import { parseTradingsymbol } from '../broker/tradingsymbol';
import { latestSnapshotDocument, tenantSnapshotDocument } from '../db/tenant-book';
import type { TenantTx } from '../db/tenant';
import { dateToEpochMs, timestampToEpochMs } from '../domain/dates';
import { black76 } from '../domain/pricing/black76';
import { surfaceVol } from '../domain/pricing/vol-surface';
import type { DecisionSnapshot } from '../domain/snapshot';

const YEAR_MS = 365 * 86_400_000;
/** NSE options expire at 15:30 IST = 10:00 UTC. */
const EXPIRY_UTC_MS = 10 * 3_600_000;

export interface BookPosition {
  tradingsymbol: string;
  quantity: number;
  averagePrice: string;
}

export interface Greeks {
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
}

export interface PricedPosition extends BookPosition {
  price: number | null;
  vol: number | null;
  years: number | null;
  /** Per unit of the option. */
  unit: Greeks | null;
  /** unit × quantity (signed: a short position's delta has the opposite sign). */
  position: Greeks | null;
}

const round = (x: number, places = 6) => Number(x.toFixed(places));
const scale = (g: Greeks, k: number): Greeks => ({
  delta: round(g.delta * k),
  gamma: round(g.gamma * k),
  vega: round(g.vega * k),
  theta: round(g.theta * k),
});

export function priceBook(
  book: readonly BookPosition[],
  snapshots: Readonly<Record<string, DecisionSnapshot | null>>,
): { positions: PricedPosition[]; totals: Greeks; unpriced: number; snapshots: Record<string, string | null> } {
  const totals: Greeks = { delta: 0, gamma: 0, vega: 0, theta: 0 };
  let unpriced = 0;
  const positions = book.map((p): PricedPosition => {
    const c = parseTradingsymbol(p.tradingsymbol);
    const s = c ? snapshots[c.instrument] : null;
    if (!c || !s) {
      unpriced++;
      return { ...p, price: null, vol: null, years: null, unit: null, position: null };
    }
    const at = timestampToEpochMs(s.at);
    const years = Math.max(0, (dateToEpochMs(c.expiry) + EXPIRY_UTC_MS - at) / YEAR_MS);
    const listed = s.chain.expiries.find((e) => e.expiry === c.expiry);
    const forward = listed?.forward ?? s.spot * Math.exp((s.rates.rate - s.rates.dividendYield) * years);
    const vol = surfaceVol(s.surface, forward, c.strike, years);
    const r = black76({ type: c.type, forward, strike: c.strike, years, rate: s.rates.rate, vol });
    const unit = scale(r, 1);
    const position = scale(r, p.quantity);
    for (const k of ['delta', 'gamma', 'vega', 'theta'] as const) totals[k] = round(totals[k] + position[k]);
    return { ...p, price: round(r.price, 4), vol: round(vol), years: round(years, 8), unit, position };
  });
  const ids = Object.fromEntries(Object.entries(snapshots).map(([k, v]) => [k, v?.id ?? null]));
  return { positions, totals, unpriced, snapshots: ids };
}

/**
 * The snapshot to price each instrument's positions on: the one the tenant's latest decision on it
 * stood on, else the newest stored. Not simply the newest: a simulated day is the tenant's own market
 * (its seed and date), and the newest snapshot anyone stored may be another day's, past the book's
 * expiries, where every out-of-the-money leg is worth 0 with 0 greeks.
 */
export async function bookSnapshots(
  tx: TenantTx,
  instruments: Iterable<string>,
): Promise<Record<string, DecisionSnapshot | null>> {
  const out: Record<string, DecisionSnapshot | null> = {};
  for (const instrument of new Set(instruments))
    out[instrument] = ((await tenantSnapshotDocument(tx, instrument)) ??
      (await latestSnapshotDocument(tx, instrument))) as DecisionSnapshot | null;
  return out;
}
