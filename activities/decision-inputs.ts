/**
 * decide's inputs from the outside world: the market snapshot (the simulator today, behind
 * domain's MarketSource; a live feed later), the tenant's risk view (positions priced on the
 * snapshot) and the strike choice from the served strike_selector (or the delta rule).
 */
import { listExpiries, yearFraction } from '../domain/calendar';
import { istParts, timestampToEpochMs, type IsoDate } from '../domain/dates';
import type { KillSwitchView, StrikeChoice, TenantRiskView } from '../domain/decision/types';
import { DEFAULT_MAX_OPEN_LOTS, DEFAULT_TENANT_LIMITS } from '../domain/decision/limits';
import { lotSize, type Instrument } from '../domain/instruments';
import { createSource, simulateDays } from '../domain/market';
import { dec, rupees } from '../domain/money';
import { DEFAULT_EXCHANGE_CONFIG } from '../domain/paper-exchange/types';
import { normCdf } from '../domain/pricing/normal';
import { openBookRisk, type OpenLeg } from '../domain/risk/open-risk';
import { buildDecisionSnapshot, type DecisionSnapshot } from '../domain/snapshot';
import { quoteAt } from '../domain/strategies/select';
import { PAPER_DEFAULT_CAPITAL } from '../broker/paper/paper-broker';
import { parseTradingsymbol } from '../broker/tradingsymbol';
import type { TenantLimitsRow } from '../db/tenant-limits';
import type { TenantRiskRecord } from '../db/tenant-risk-state';
import type { StrikeSelector } from '../ml/adapters';
import { STRIKE_CANDIDATES_Z } from '../ml/data/datasets';
import { MARKET_FEATURES } from '../ml/data/market-features';
import { tradingWindow } from '../ml/data/market-window';

export const SNAPSHOT_HISTORY_DAYS = 22;

/*
 * The simulated days behind a snapshot depend only on (instrument, date, seed), not on the instant:
 * a process deciding through a day (a trading day's cadence, decide on demand without `at`) asks
 * for a new instant each time and reuses them. A few are kept; they are never mutated.
 */
const SIMULATED_WINDOWS = 4;
const simulatedWindows = new Map<string, ReturnType<typeof simulateDays>>();

function simulatedWindow(instrument: Instrument, date: IsoDate, seed: number): ReturnType<typeof simulateDays> {
  const key = `${instrument}|${date}|${seed}`;
  let days = simulatedWindows.get(key);
  if (!days) {
    const window = tradingWindow(date, SNAPSHOT_HISTORY_DAYS + 1);
    if (window.at(-1) !== date) throw new RangeError(`${date} is not a trading day`);
    days = simulateDays({ instrument, fromDate: window[0]!, days: window.length, seed });
    if (simulatedWindows.size >= SIMULATED_WINDOWS) simulatedWindows.delete(simulatedWindows.keys().next().value!);
  } else simulatedWindows.delete(key); // re-inserted below as the most recent
  simulatedWindows.set(key, days);
  return days;
}

/** The simulated snapshot of (instrument, seed) at an instant, with the seed's previous days as history. */
export function simulatedSnapshot(instrument: Instrument, at: string, seed: number): DecisionSnapshot {
  const date: IsoDate = istParts(timestampToEpochMs(at)).date;
  const days = simulatedWindow(instrument, date, seed);
  return buildDecisionSnapshot(createSource(days.at(-1)!), at, { days: days.slice(0, -1) });
}

/**
 * The tenant's state as the castle reads it: ledger positions marked at the snapshot's mids, its
 * own limits (else the defaults) and its exposure in open leg-lots.
 */
export function tenantRiskView(
  record: TenantRiskRecord,
  snapshot: DecisionSnapshot,
  own: TenantLimitsRow | null = null,
): TenantRiskView {
  const cash = dec(record.cash ?? PAPER_DEFAULT_CAPITAL);
  let value = dec(0);
  let unrealised = dec(0);
  let margin = dec(0);
  let netDelta = 0;
  let netVega = 0;
  let openLots = 0;
  const legs: OpenLeg[] = [];
  for (const p of record.positions) {
    const c = parseTradingsymbol(p.tradingsymbol);
    if (c) openLots += Math.abs(p.quantity) / lotSize(c.instrument, snapshot.date);
    if (c)
      legs.push({
        type: c.type,
        strike: c.strike,
        expiry: c.expiry,
        quantity: p.quantity,
        averagePrice: p.averagePrice,
      });
    const e = c && snapshot.chain.expiries.find((x) => x.expiry === c.expiry);
    const q = c && e ? quoteAt(e, c.strike, c.type) : undefined;
    // A position the snapshot cannot price is carried at cost (no unrealised P&L claimed).
    const mark = q ? dec(q.mid) : dec(p.averagePrice);
    value = value.plus(mark.times(p.quantity));
    unrealised = unrealised.plus(mark.minus(p.averagePrice).times(p.quantity));
    if (p.quantity < 0)
      margin = margin.plus(dec(snapshot.spot).times(-p.quantity).times(DEFAULT_EXCHANGE_CONFIG.shortMarginRate));
    if (q) {
      netDelta += q.delta * p.quantity;
      netVega += (q.vega * p.quantity) / 100;
    }
  }
  const equity = cash.plus(value);
  const killSwitches: KillSwitchView[] = record.killSwitches;
  const halted = record.status !== 'active' || !record.reconciliationClean;
  const limits = own
    ? {
        ...DEFAULT_TENANT_LIMITS,
        maxLotsPerOrder: own.maxLotsPerOrder,
        maxLotsPerDay: own.maxLotsPerDay,
        maxDailyLoss: own.maxDailyLoss,
      }
    : DEFAULT_TENANT_LIMITS;
  return {
    limits,
    limitsSource: own ? 'tenant' : 'default',
    exposure: { openLots: Math.ceil(openLots), maxOpenLots: own?.maxOpenLots ?? DEFAULT_MAX_OPEN_LOTS },
    portfolio: {
      freeCapital: rupees(cash.minus(margin)),
      equity: rupees(equity),
      // No equity history yet: the peak is today's equity or the starting capital, whichever is higher.
      peakEquity: rupees(equity.greaterThan(PAPER_DEFAULT_CAPITAL) ? equity : dec(PAPER_DEFAULT_CAPITAL)),
      dayPnl: rupees(dec(record.realisedToday).plus(unrealised)),
      lotsTradedToday: record.lotsToday,
      netDelta,
      netVega,
      // What the open book can still lose: the loss wall and sizing keep it inside the day's limit.
      openRisk: openBookRisk(legs, snapshot.chain),
    },
    killSwitches,
    halted,
    haltReason:
      record.status !== 'active'
        ? `tenant ${record.status}`
        : !record.reconciliationClean
          ? 'reconciliation not clean'
          : null,
    openPositions: record.positions.length,
  };
}

/** The strike selector's features (its training rows' shape) for each candidate width, read off the snapshot. */
export function strikeSelectorRows(snapshot: DecisionSnapshot): { z: number; row: number[] }[] {
  const closes = snapshot.bars.map((b) => b.close);
  const i = closes.length - 1;
  if (i < 31) return [];
  const pct = (a: number, b: number) => 100 * Math.log(a / b);
  let sq = 0;
  for (let k = i - 29; k <= i; k++) sq += pct(closes[k]!, closes[k - 1]!) ** 2;
  const market: Record<string, number> = {
    ret5: pct(closes[i]!, closes[i - 5]!),
    ret15: pct(closes[i]!, closes[i - 15]!),
    ret30: pct(closes[i]!, closes[i - 30]!),
    rv30: Math.sqrt(sq),
    day_ret: pct(closes[i]!, snapshot.sessionOpen),
    atm_vol: snapshot.surface.atmVol,
    skew: snapshot.surface.skew,
    stress: snapshot.stress,
    minute_frac: (i + 1) / 375,
  };
  const expiry = listExpiries(snapshot.instrument, snapshot.date, 1)[0]!;
  const front = snapshot.chain.expiries.find((e) => e.expiry === expiry) ?? snapshot.chain.expiries[0]!;
  const years = yearFraction(snapshot.at, front.expiry);
  const sd = snapshot.surface.atmVol * Math.sqrt(Math.max(years, 1 / 365));
  const step = front.quotes.length > 1 ? Math.abs(front.quotes[1]!.strike - front.quotes[0]!.strike) || 50 : 50;
  return STRIKE_CANDIDATES_Z.map((z) => {
    let premium = 0;
    for (const [type, sign] of [
      ['put', -1],
      ['call', 1],
    ] as const) {
      const strike = Math.round((front.forward * Math.exp(sign * z * sd)) / step) * step;
      premium += quoteAt(front, strike, type)?.mid ?? 0;
    }
    const features: Record<string, number> = {
      ...market,
      days_to_expiry: years * 365,
      width_z: z,
      premium_pct: (100 * premium) / snapshot.spot,
    };
    return { z, row: [...MARKET_FEATURES, 'days_to_expiry', 'width_z', 'premium_pct'].map((f) => features[f]!) };
  });
}

/** The selector's best width as the short legs' |delta|, or the delta rule when none is served. */
export async function strikeChoice(snapshot: DecisionSnapshot, selector: StrikeSelector | null): Promise<StrikeChoice> {
  const fallback = (reason: string): StrikeChoice => ({
    source: 'fallback',
    widthZ: null,
    shortDelta: null,
    expectedPnlPct: null,
    model: null,
    reason,
  });
  if (!selector) return fallback('no strike_selector served: quote-by-delta rule (template defaults)');
  const rows = strikeSelectorRows(snapshot);
  if (rows.length === 0) return fallback('too early in the session for the selector features');
  if (selector.id.featureSchema.features.length !== rows[0]!.row.length)
    return fallback(`strike_selector v${selector.id.version} reads another feature layout`);
  const best = await selector.select(rows.map((r) => r.row));
  const z = rows[best.index]!.z;
  return {
    source: 'strike_selector',
    widthZ: z,
    shortDelta: normCdf(-z),
    expectedPnlPct: best.expectedPnl,
    model: { typeId: selector.id.typeId, version: selector.id.version, sha256: selector.id.sha256 },
    reason: null,
  };
}
