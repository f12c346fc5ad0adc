/** One summary row per (tenant, trading date): what the TradingDay workflow returned. */
import { date, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { tenantIdColumn, tenantIsolation } from './tenancy';

const money = (name: string) => numeric(name, { precision: 18, scale: 2 });

export const tradingDays = pgTable(
  'trading_days',
  {
    tenantId: tenantIdColumn(),
    tradingDate: date('trading_date').notNull(),
    workflowId: text('workflow_id').notNull(),
    runId: text('run_id').notNull(),
    mode: text('mode').notNull(),
    status: text('status').notNull(),
    finalState: text('final_state').notNull(),
    decisions: integer('decisions').notNull(),
    trades: integer('trades').notNull(),
    refusals: jsonb('refusals').notNull(),
    pnl: money('pnl').notNull(),
    costs: money('costs').notNull(),
    maxDrawdown: money('max_drawdown').notNull(),
    /** The whole summary as the workflow returned it. */
    summary: jsonb('summary').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.tradingDate] }), tenantIsolation('trading_days')],
).enableRLS();
