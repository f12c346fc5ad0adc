/** SystemCheck round trips: worker → activity → idempotent write → result. */
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const systemChecks = pgTable('system_checks', {
  checkId: text('check_id').primaryKey(),
  workflowId: text('workflow_id').notNull(),
  runId: text('run_id').notNull(),
  worker: text('worker').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
