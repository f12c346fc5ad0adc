/**
 * Training rows of the tenant_profile model: one row per closed trade, built field by field from
 * what the trade did — its lots, how long it was held, its loss per lot, its structure — never by
 * copying a stored row (Rule 1: no persona_id, is_synthetic, bias_type, persona_archetype, psych
 * state or knob, nor anything computed from them; rawTrainingRows strips every row again).
 *
 * Two origins: the synthetic persona population (the cold-start prior: the 20 personas simulated
 * over the data version's window, a pure function of it, so the holdout can be rebuilt) and the
 * tenant's real closed trades from its ledger (context_source real, weighing REAL_WEIGHT each).
 */
import type { Pool } from 'pg';
import { closedTradeLegs, type ClosedTradeLeg } from '../../db/closed-trades';
import { withTenant } from '../../db/tenant';
import { addDays, istParts } from '../../domain/dates';
import { lotSize, type Instrument } from '../../domain/instruments';
import { dec } from '../../domain/money';
import { simulatePersonas } from '../../domain/personas/run';
import type { PersonaTrade } from '../../domain/personas/engine';
import { STRUCTURE_KINDS, type StructureKind } from '../../domain/strategies/types';
import { loadPersonas } from '../../personas/loader';
import type { ModelTypeId } from '../model-types';
import type { Scope } from '../types';
import type { RowSource } from './datasets';
import { assertDataVersion, PLATFORM_MARKET_SEED, tradingWindow } from './market-window';
import type { RawRow } from './rule1';

/** Trading days of the persona population's simulated window (the prior). */
export const PROFILE_PRIOR_DAYS = 20;
/** Calendar days of the tenant's own trades a profile reads, up to the data version. */
export const PROFILE_REAL_WINDOW_DAYS = 120;
/** Closed real trades in the window before a tenant gets its own variant (else it is served the global one). */
export const MIN_REAL_TRADES = 20;

export const structureFeature = (k: StructureKind) => `structure_${k.toLowerCase()}`;
export const PROFILE_FEATURES = [
  'lots',
  'hold_minutes',
  'loss_per_lot',
  ...STRUCTURE_KINDS.map(structureFeature),
] as const;

/** What a closed trade did, whoever made it. */
export interface TradeFacts {
  readonly date: string;
  readonly structure: StructureKind;
  readonly lots: number;
  readonly holdMinutes: number;
  /** Net of costs, rupees. */
  readonly netPnl: number;
}

/** One training row: label = net P&L; features from the facts alone. */
export function profileRow(origin: 'real' | 'synthetic', t: TradeFacts): RawRow {
  const row: Record<string, number | string> = {
    context_source: origin,
    group: t.date,
    label: t.netPnl,
    lots: t.lots,
    hold_minutes: t.holdMinutes,
    loss_per_lot: t.netPnl < 0 ? -t.netPnl / t.lots : 0,
  };
  for (const k of STRUCTURE_KINDS) row[structureFeature(k)] = k === t.structure ? 1 : 0;
  return row as unknown as RawRow;
}

/** A persona trade's facts: the market side of it only. */
export function personaTradeFacts(t: PersonaTrade): TradeFacts {
  return {
    date: t.date,
    structure: t.structure,
    lots: t.lots,
    holdMinutes: Math.max(0, t.exitMinute - t.entryMinute),
    netPnl: t.netPnlPaise / 100,
  };
}

const priorMemo = new Map<string, RawRow[]>();

/** The persona population's trades over the window ending at the data version, as rows (memoised: pure). */
export function personaProfileRows(dataVersion: string, days = PROFILE_PRIOR_DAYS): RawRow[] {
  const end = assertDataVersion(dataVersion);
  const key = `${end}|${days}`;
  const hit = priorMemo.get(key);
  if (hit) return [...hit];
  const trades: PersonaTrade[] = [];
  simulatePersonas(
    loadPersonas().map((p) => p.compiled),
    { instrument: 'NIFTY', fromDate: tradingWindow(end, days)[0]!, days, seed: PLATFORM_MARKET_SEED },
    (t) => trades.push(...t),
  );
  const rows = trades.filter((t) => t.date <= end).map((t) => profileRow('synthetic', personaTradeFacts(t)));
  priorMemo.set(key, rows);
  if (priorMemo.size > 4) priorMemo.delete(priorMemo.keys().next().value!);
  return [...rows];
}

const isStructure = (s: string): s is StructureKind => (STRUCTURE_KINDS as readonly string[]).includes(s);

/**
 * Pairs each structure's legs with their closes: a trade is closed when every filled leg has one.
 * P&L per leg is (close − entry) × quantity for a buy, the opposite for a sell, less both placements' costs.
 */
export function closedTradeFacts(legs: readonly ClosedTradeLeg[]): TradeFacts[] {
  const byDecision = new Map<string, ClosedTradeLeg[]>();
  for (const l of legs) byDecision.set(l.decisionId, [...(byDecision.get(l.decisionId) ?? []), l]);
  const out: TradeFacts[] = [];
  for (const group of byDecision.values()) {
    const first = group[0]!;
    if (!isStructure(first.structure) || group.some((l) => l.closePrice === null || l.closedAt === null)) continue;
    let pnl = dec(0)
      .minus(dec(first.entryCosts))
      .minus(dec(first.exitCosts ?? '0'));
    for (const l of group) {
      const move = dec(l.closePrice!).minus(dec(l.entryPrice)).times(l.quantity);
      pnl = l.side === 'BUY' ? pnl.plus(move) : pnl.minus(move);
    }
    const opened = Math.min(...group.map((l) => l.openedAt.getTime()));
    const closed = Math.max(...group.map((l) => l.closedAt!.getTime()));
    const date = istParts(opened).date;
    const lots = first.lots ?? Math.max(1, Math.round(first.quantity / lotSize(first.instrument as Instrument, date)));
    out.push({
      date,
      structure: first.structure,
      lots,
      holdMinutes: Math.max(0, Math.round((closed - opened) / 60_000)),
      netPnl: pnl.toNumber(),
    });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The tenant's closed real trades opened in the window ending at the data version. */
export async function tenantClosedTrades(pool: Pool, tenantId: number, dataVersion: string): Promise<TradeFacts[]> {
  const end = assertDataVersion(dataVersion);
  const legs = await withTenant(pool, tenantId, (tx) =>
    closedTradeLegs(tx, STRUCTURE_KINDS, addDays(end, 1 - PROFILE_REAL_WINDOW_DAYS), addDays(end, 1)),
  );
  return closedTradeFacts(legs);
}

/** A RowSource over one tenant's real closed trades (tenant_profile only). */
export function tenantTradeSource(pool: Pool, tenantId: number): RowSource {
  return async (typeId: ModelTypeId, dataVersion: string) => {
    if (typeId !== 'tenant_profile') return [];
    return (await tenantClosedTrades(pool, tenantId, dataVersion)).map((t) => profileRow('real', t));
  };
}

/** The row sources beyond the simulator a (type, scope) trains on: a tenant's profile reads its ledger. */
export function rowSourcesFor(typeId: ModelTypeId, scope: Scope, pool: Pool): RowSource[] {
  return typeId === 'tenant_profile' && scope !== 'global' ? [tenantTradeSource(pool, scope)] : [];
}
