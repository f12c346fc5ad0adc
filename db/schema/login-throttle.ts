/**
 * Failed-login counters per account and per client address, shared by every API process.
 * Platform table (no tenant): the login has no tenant yet, and unknown tenants count too.
 * Keys are SHA-256 digests, so a row holds no email or address and has a bounded size.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const loginThrottle = pgTable(
  'login_throttle',
  {
    key: text('key').primaryKey(),
    scope: text('scope', { enum: ['account', 'client'] }).notNull(),
    failures: integer('failures').notNull().default(0),
    blockedUntil: timestamp('blocked_until', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('login_throttle_scope', sql`${t.scope} IN ('account', 'client')`),
    index('login_throttle_updated_at').on(t.updatedAt),
  ],
);
