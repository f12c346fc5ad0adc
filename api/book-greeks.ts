/**
 * The book priced with Black-76 on the market it lives in: each open option position's price, vol
 * and greeks (per unit and for the position), and the portfolio's totals. A paper tenant's positions
 * live in its paper exchange's simulated market (its session's date, seed and clock), not in any stored
 * snapshot: a simulated day's strikes can be far from the newest snapshot anyone stored (another day's
 * market), where they were worth 0 with 0 greeks. Other tenants' are priced on the newest stored
 * snapshot. A position the market cannot price (another instrument, no market, a strike it does not
 * quote, not an option symbol) is listed with null greeks and counted in `unpriced`, never guessed.
 */
import { parseTradingsymbol } from '../broker/tradingsymbol';
import { chainAt, simulatedMs, type PaperMarketSession } from '../broker/paper/market';
import { brokerNameOf } from '../db/broker-accounts';
import { paperMarketSessionOf } from '../db/paper-account';
import { latestSnapshotDocument } from '../db/tenant-book';
import type { TenantTx } from '../db/tenant';
import { dateToEpochMs, timestampToEpochMs, type IsoDate } from '../domain/dates';
import type { Instrument } from '../domain/instruments';
import type { OptionChain } from '../domain/market';
import type { OptionType } from '../domain/pricing/black76';
import { black76 } from '../domain/pricing/black76';
import { surfaceVol } from '../domain/pricing/vol-surface';
import type { DecisionSnapshot } from '../domain/snapshot';

/** What pricing reads of a market: its instant, rate, forward per expiry, vol per contract. */
export interface PricingMarket {
  id: string;
  at: string;
  rate: number;
  forward(expiry: string, years: number): number;
  /** null: the market does not quote it. */
  vol(type: OptionType, strike: number, expiry: string, forward: number, years: number): number | null;
}

export function snapshotMarket(s: DecisionSnapshot): PricingMarket {
  return {
    id: s.id,
    at: s.at,
    rate: s.rates.rate,
    forward: (expiry, years) =>
      s.chain.expiries.find((e) => e.expiry === expiry)?.forward ??
      s.spot * Math.exp((s.rates.rate - s.rates.dividendYield) * years),
    vol: (_type, strike, _expiry, forward, years) => surfaceVol(s.surface, forward, strike, years),
  };
}

/** The paper exchange's chain: the implied vol of the contract's quote, as the exchange marks it. */
export function chainMarket(c: OptionChain, id: string): PricingMarket {
  return {
    id,
    at: c.timestamp,
    rate: c.rates.rate,
    forward: (expiry, years) =>
      c.expiries.find((e) => e.expiry === expiry)?.forward ??
      c.spot * Math.exp((c.rates.rate - c.rates.dividendYield) * years),
    vol: (type, strike, expiry) =>
      c.expiries.find((e) => e.expiry === expiry)?.quotes.find((q) => q.strike === strike && q.type === type)?.iv ??
      null,
  };
}

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
  markets: Readonly<Record<string, PricingMarket | null>>,
): { positions: PricedPosition[]; totals: Greeks; unpriced: number; snapshots: Record<string, string | null> } {
  const totals: Greeks = { delta: 0, gamma: 0, vega: 0, theta: 0 };
  let unpriced = 0;
  const positions = book.map((p): PricedPosition => {
    const c = parseTradingsymbol(p.tradingsymbol);
    const m = c ? markets[c.instrument] : null;
    const years =
      c && m ? Math.max(0, (dateToEpochMs(c.expiry) + EXPIRY_UTC_MS - timestampToEpochMs(m.at)) / YEAR_MS) : 0;
    const forward = c && m ? m.forward(c.expiry, years) : 0;
    const vol = c && m ? m.vol(c.type, c.strike, c.expiry, forward, years) : null;
    if (!c || !m || vol === null) {
      unpriced++;
      return { ...p, price: null, vol: null, years: null, unit: null, position: null };
    }
    const r = black76({ type: c.type, forward, strike: c.strike, years, rate: m.rate, vol });
    const unit = scale(r, 1);
    const position = scale(r, p.quantity);
    for (const k of ['delta', 'gamma', 'vega', 'theta'] as const) totals[k] = round(totals[k] + position[k]);
    return { ...p, price: round(r.price, 4), vol: round(vol), years: round(years, 8), unit, position };
  });
  const ids = Object.fromEntries(Object.entries(markets).map(([k, v]) => [k, v?.id ?? null]));
  return { positions, totals, unpriced, snapshots: ids };
}

/**
 * The market each instrument's positions are priced on: a paper tenant's paper exchange now (listing
 * the positions' expiries), else the newest stored snapshot.
 */
export async function bookMarkets(
  tx: TenantTx,
  book: ReadonlyArray<{ instrument: string; tradingsymbol: string }>,
  nowMs = Date.now(),
): Promise<Record<string, PricingMarket | null>> {
  const paper = (await brokerNameOf(tx)) === 'paper' ? await paperMarketSessionOf<PaperMarketSession>(tx) : null;
  const out: Record<string, PricingMarket | null> = {};
  for (const instrument of new Set(book.map((p) => p.instrument))) {
    if (paper) {
      const expiries = book
        .filter((p) => p.instrument === instrument)
        .flatMap((p) => parseTradingsymbol(p.tradingsymbol)?.expiry ?? []) as IsoDate[];
      const simMs = simulatedMs(paper, nowMs);
      const chain = chainAt(instrument as Instrument, paper, simMs, expiries);
      out[instrument] = chainMarket(chain, `paper:${paper.date}/seed-${paper.seed}@${chain.timestamp}`);
    } else {
      const s = (await latestSnapshotDocument(tx, instrument)) as DecisionSnapshot | null;
      out[instrument] = s && snapshotMarket(s);
    }
  }
  return out;
}
