/**
 * Order stamps per broker client account (db/broker-rate.ts): a platform table, since tenants
 * that trade through one account share its order limits. Accounts are stored as digests.
 */
import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const brokerOrderStamps = pgTable(
  'broker_order_stamps',
  {
    account: text('account').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('broker_order_stamps_account_at').on(t.account, t.at)],
);
