/**
 * Synthetic persona trades: written by the persona worker (role qs_persona), read back to
 * verify a run and by the ML training fetchers (which drop the persona columns: ml/data).
 * Idempotent on (tenant, simulation, persona, seq): a rerun of a run inserts nothing.
 */
import { and, asc, between, count, eq } from 'drizzle-orm';
import type { PersonaTrade } from '../domain/personas/engine';
import { paiseToRupees } from '../domain/money';
import { syntheticTrades } from './schema';
import type { TenantTx } from './tenant';

/** Inserts the trades a workflow produced; returns how many were new. */
export async function insertSyntheticTrades(
  tx: TenantTx,
  run: { simulationId: string; workflowId: string },
  trades: readonly PersonaTrade[],
): Promise<number> {
  if (trades.length === 0) return 0;
  const rows = trades.map((t) => ({
    persona_id: t.personaId,
    seq: t.seq,
    trading_date: t.date,
    persona_archetype: t.archetype,
    bias_type: t.biasType,
    psych_state: t.psychState,
    knob: t.knob,
    structure: t.structure,
    instrument: t.instrument,
    lots: t.lots,
    hedged: t.hedged,
    futures_lots: t.futuresLots,
    entry_minute: t.entryMinute,
    exit_minute: t.exitMinute,
    exit_reason: t.exitReason,
    legs: { entry: t.entry, exit: t.exit },
    gross_pnl: paiseToRupees(t.grossPnlPaise),
    charges: paiseToRupees(t.chargesPaise),
    net_pnl: paiseToRupees(t.netPnlPaise),
  }));
  const r = await tx.client.query(
    `INSERT INTO synthetic_trades (tenant_id, simulation_id, workflow_id, persona_id, seq, trading_date,
            persona_archetype, bias_type, psych_state, knob, structure, instrument, lots, hedged, futures_lots,
            entry_minute, exit_minute, exit_reason, legs, gross_pnl, charges, net_pnl)
     SELECT $1, $2, $3, r.persona_id, r.seq, r.trading_date, r.persona_archetype, r.bias_type, r.psych_state,
            r.knob, r.structure, r.instrument, r.lots, r.hedged, r.futures_lots, r.entry_minute, r.exit_minute,
            r.exit_reason, r.legs, r.gross_pnl, r.charges, r.net_pnl
       FROM jsonb_to_recordset($4::jsonb) AS r(persona_id text, seq int, trading_date date,
            persona_archetype text, bias_type text, psych_state text, knob int, structure text, instrument text,
            lots int, hedged boolean, futures_lots int, entry_minute int, exit_minute int, exit_reason text,
            legs jsonb, gross_pnl numeric, charges numeric, net_pnl numeric)
     ON CONFLICT (tenant_id, simulation_id, persona_id, seq) DO NOTHING`,
    [tx.tenantId, run.simulationId, run.workflowId, JSON.stringify(rows)],
  );
  return r.rowCount ?? 0;
}

export type SyntheticTradeRow = typeof syntheticTrades.$inferSelect;

/** A run's trades in persona and sequence order. */
export async function syntheticTradesOf(tx: TenantTx, simulationId: string): Promise<SyntheticTradeRow[]> {
  return tx.db
    .select()
    .from(syntheticTrades)
    .where(and(eq(syntheticTrades.tenantId, tx.tenantId), eq(syntheticTrades.simulationId, simulationId)))
    .orderBy(asc(syntheticTrades.personaId), asc(syntheticTrades.seq));
}

/** Trades stored per persona for a run. */
export async function syntheticTradeCounts(tx: TenantTx, simulationId: string): Promise<Record<string, number>> {
  const rows = await tx.db
    .select({ personaId: syntheticTrades.personaId, n: count() })
    .from(syntheticTrades)
    .where(and(eq(syntheticTrades.tenantId, tx.tenantId), eq(syntheticTrades.simulationId, simulationId)))
    .groupBy(syntheticTrades.personaId);
  return Object.fromEntries(rows.map((r) => [r.personaId, r.n]));
}

/** Synthetic trades with trading dates in [from, to], oldest first (training fetchers). */
export async function syntheticTradesBetween(tx: TenantTx, from: string, to: string): Promise<SyntheticTradeRow[]> {
  return tx.db
    .select()
    .from(syntheticTrades)
    .where(and(eq(syntheticTrades.tenantId, tx.tenantId), between(syntheticTrades.tradingDate, from, to)))
    .orderBy(
      asc(syntheticTrades.tradingDate),
      asc(syntheticTrades.simulationId),
      asc(syntheticTrades.personaId),
      asc(syntheticTrades.seq),
    );
}
