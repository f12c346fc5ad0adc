/**
 * Persona trades as training rows (Rule 1). The synthetic_trades table keeps who traded —
 * persona_id, is_synthetic, bias_type, persona_archetype, and the persona's state (psych_state,
 * knob) — in their own columns; this fetcher never copies a stored row: it builds each training
 * row field by field from the market facts of a fill (size, book depth, volume, stress, spread
 * and the price paid), so none of those columns, nor anything computed from them, can reach a
 * feature. rawTrainingRows strips every source's rows again on top (defence in depth).
 *
 * Today the fills feed the slippage model: every option leg a persona bought or sold, entry and
 * exit, is one marketable order against the simulated book.
 */
import type { Pool } from 'pg';
import { syntheticTradesBetween, type SyntheticTradeRow } from '../../db/synthetic-trades';
import { withTenant } from '../../db/tenant';
import { addDays } from '../../domain/dates';
import type { LegFill } from '../../domain/personas/fills';
import type { ModelTypeId } from '../model-types';
import type { RowSource } from './datasets';
import type { RawRow } from './rule1';

/** Calendar days of persona trades up to the data version that one training run reads. */
export const PERSONA_WINDOW_DAYS = 60;

/** One slippage row per option fill: what the order met, and what it paid over the mid. */
export function slippageRowsOf(trade: Pick<SyntheticTradeRow, 'tradingDate' | 'legs'>): RawRow[] {
  const { entry, exit } = trade.legs as { entry: readonly LegFill[]; exit: readonly LegFill[] };
  const rows: RawRow[] = [];
  for (const f of [...entry, ...exit]) {
    if (f.kind !== 'option' || !(f.spread > 0)) continue;
    const avg = Number(f.price);
    const slip = f.side === 'BUY' ? avg - f.mid : f.mid - avg;
    rows.push({
      context_source: 'synthetic',
      group: trade.tradingDate,
      label: slip / f.spread,
      lots_minus_1: f.lots - 1,
      depth_ratio: f.quantity / f.shown,
      sqrt_volume_share: Math.sqrt(Math.min(1, f.quantity / Math.max(f.volume, f.quantity))),
      stress: f.stress,
    });
  }
  return rows;
}

/** A RowSource over one tenant's synthetic trades (the platform tenant's for global models). */
export function personaTradeSource(pool: Pool, tenantId: number, windowDays = PERSONA_WINDOW_DAYS): RowSource {
  return async (typeId: ModelTypeId, dataVersion: string) => {
    if (typeId !== 'slippage_coefficients') return [];
    const trades = await withTenant(pool, tenantId, (tx) =>
      syntheticTradesBetween(tx, addDays(dataVersion, -windowDays), dataVersion),
    );
    return trades.flatMap(slippageRowsOf);
  };
}
