/** A tenant's tail-hedge settings (TailHedgeRoll reads them on every scheduled run). */
import { sql } from 'drizzle-orm';
import { boolean, check, integer, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { tenantIdColumn, tenantIsolation } from './tenancy';

export const hedgeSettings = pgTable(
  'hedge_settings',
  {
    tenantId: tenantIdColumn().primaryKey(),
    enabled: boolean('enabled').notNull().default(false),
    instrument: text('instrument').notNull().default('NIFTY'),
    /** Target |delta| in delta points (5 = 0.05). */
    targetDelta: numeric('target_delta', { precision: 5, scale: 2 }).notNull().default('5'),
    /** Trading days before expiry a hedge is rolled. */
    windowDays: integer('window_days').notNull().default(5),
    /** Annual hedge budget, percent of capital. */
    budgetPct: numeric('budget_pct', { precision: 7, scale: 4 }).notNull().default('2'),
    /** Lots of the first hedge (a roll keeps the quantity it replaces). */
    lots: integer('lots').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('hedge_settings_instrument', sql`${t.instrument} IN ('NIFTY', 'BANKNIFTY')`),
    check('hedge_settings_delta', sql`${t.targetDelta} > 0 AND ${t.targetDelta} < 50`),
    check('hedge_settings_window', sql`${t.windowDays} >= 0 AND ${t.windowDays} <= 60`),
    check('hedge_settings_budget', sql`${t.budgetPct} > 0 AND ${t.budgetPct} <= 100`),
    check('hedge_settings_lots', sql`${t.lots} > 0`),
    tenantIsolation('hedge_settings'),
  ],
).enableRLS();
