/**
 * Append-only, hash-chained audit log. seq, prev_hash and hash are filled by a BEFORE INSERT
 * trigger under a per-tenant advisory lock (custom migration), so concurrent writers still
 * form one chain; UPDATE, DELETE and TRUNCATE are refused by triggers, even for the owner.
 */
import { bigint, index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { tenantIdColumn, tenantIsolation } from './tenancy';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: tenantIdColumn(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    userId: integer('user_id'),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    unique('audit_log_tenant_seq').on(t.tenantId, t.seq),
    index('audit_log_event').on(t.tenantId, t.eventType),
    tenantIsolation('audit_log'),
  ],
).enableRLS();
