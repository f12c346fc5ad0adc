/** Kill switches and the tenant's trading gate (reconciliation must be clean to place orders). */
import { sql } from 'drizzle-orm';
import { boolean, check, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { tenantIdColumn, tenantIsolation } from './tenancy';

export const killSwitches = pgTable(
  'kill_switches',
  {
    tenantId: tenantIdColumn(),
    /** 'tenant' stops everything; 'instrument'/'strategy' stop one target. */
    scope: text('scope', { enum: ['tenant', 'instrument', 'strategy'] }).notNull(),
    target: text('target').notNull().default('*'),
    active: boolean('active').notNull(),
    reason: text('reason').notNull(),
    setBy: integer('set_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.scope, t.target] }),
    check('kill_switches_scope', sql`${t.scope} IN ('tenant', 'instrument', 'strategy')`),
    tenantIsolation('kill_switches'),
  ],
).enableRLS();

export const tenantTradingState = pgTable(
  'tenant_trading_state',
  {
    tenantId: tenantIdColumn().primaryKey(),
    /** Fail closed: false until a reconciliation resolves every mismatch. */
    reconciliationClean: boolean('reconciliation_clean').notNull().default(true),
    unresolved: jsonb('unresolved').notNull().default([]),
    lastReconciledAt: timestamp('last_reconciled_at', { withTimezone: true }),
    lastReconciliationWorkflowId: text('last_reconciliation_workflow_id'),
  },
  () => [tenantIsolation('tenant_trading_state')],
).enableRLS();
