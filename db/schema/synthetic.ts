/**
 * Synthetic persona trades (PersonaSimulation): the cold-start data the ML pipelines train on.
 * Persona fields sit in their own columns so a training fetcher can leave them behind by name
 * (Rule 1); context_source is always 'synthetic' here (real trades live in `trades`). Money is
 * numeric; the business key (run, persona, sequence) makes a rerun of a run write nothing new.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { tenantIdColumn, tenantIsolation } from './tenancy';

const money = (name: string) => numeric(name, { precision: 18, scale: 2 });

export const syntheticTrades = pgTable(
  'synthetic_trades',
  {
    tenantId: tenantIdColumn(),
    simulationId: text('simulation_id').notNull(),
    personaId: text('persona_id').notNull(),
    /** The persona's n-th trade in the run (0-based), in trading order. */
    seq: integer('seq').notNull(),
    tradingDate: date('trading_date').notNull(),
    contextSource: text('context_source').notNull().default('synthetic'),
    isSynthetic: boolean('is_synthetic').notNull().default(true),
    personaArchetype: text('persona_archetype').notNull(),
    biasType: text('bias_type').notNull(),
    /** rational | tilted | fatigued when the trade was opened. */
    psychState: text('psych_state').notNull(),
    knob: integer('knob').notNull(),
    structure: text('structure').notNull(),
    instrument: text('instrument').notNull(),
    lots: integer('lots').notNull(),
    hedged: boolean('hedged').notNull(),
    futuresLots: integer('futures_lots').notNull(),
    entryMinute: integer('entry_minute').notNull(),
    exitMinute: integer('exit_minute').notNull(),
    exitReason: text('exit_reason').notNull(),
    /** Every leg (options and futures): side, contract, quantity, quotes and average fills. */
    legs: jsonb('legs').notNull(),
    grossPnl: money('gross_pnl').notNull(),
    charges: money('charges').notNull(),
    netPnl: money('net_pnl').notNull(),
    workflowId: text('workflow_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.simulationId, t.personaId, t.seq] }),
    index('synthetic_trades_tenant_date').on(t.tenantId, t.tradingDate),
    check('synthetic_trades_context_source', sql`${t.contextSource} = 'synthetic' AND ${t.isSynthetic}`),
    check('synthetic_trades_sizes', sql`${t.lots} > 0 AND ${t.futuresLots} >= 0`),
    tenantIsolation('synthetic_trades'),
  ],
).enableRLS();
