/**
 * Order stamps per broker client account (db/broker-rate.ts): a platform table, since tenants
 * that trade through one account share its order limits. Accounts are stored as digests.
 * `at` is when a request's slot was taken; `arrived_by` the latest the broker can have received
 * it (its timeout while in flight, its answer's time once answered).
 */
import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const brokerOrderStamps = pgTable(
  'broker_order_stamps',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    account: text('account').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    arrivedBy: timestamp('arrived_by', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('broker_order_stamps_account_at').on(t.account, t.at),
    index('broker_order_stamps_account_arrived_by').on(t.account, t.arrivedBy),
  ],
);
