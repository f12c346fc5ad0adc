/**
 * Broker accounts and the paper broker's exchange state. The paper broker keeps its book in
 * Postgres (not in worker memory) so a worker killed mid-order finds the same orders, trades
 * and fault settings when it comes back: broker truth must outlive the process asking it.
 */
import { sql } from 'drizzle-orm';
import { check, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { tenantIdColumn, tenantIsolation } from './tenancy';

/** Which broker a tenant trades through. No row = the paper broker. */
export const brokerAccounts = pgTable(
  'broker_accounts',
  {
    tenantId: tenantIdColumn().primaryKey(),
    broker: text('broker', { enum: ['paper', 'kite'] })
      .notNull()
      .default('paper'),
    /** Non-secret settings, e.g. kite: { baseUrl, apiKey, timeoutMs }. */
    settings: jsonb('settings').notNull().default({}),
    /** Kite: the day's access token (from the login flow) and the app secret (postback checksums). */
    accessToken: text('access_token'),
    apiSecret: text('api_secret'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('broker_accounts_broker', sql`${t.broker} IN ('paper', 'kite')`), tenantIsolation('broker_accounts')],
).enableRLS();

/**
 * One paper trading account per tenant: the domain paper exchange's whole state (orders,
 * fills, positions, cash, generator state: one JSON value advanced by pure steps), the
 * simulated market session feeding it, and fault-injection settings. A row lock serialises
 * each tenant's exchange like a venue's sequencer.
 */
export const paperAccounts = pgTable(
  'paper_accounts',
  {
    tenantId: tenantIdColumn().primaryKey(),
    /** domain/paper-exchange ExchangeState. */
    exchangeState: jsonb('exchange_state').notNull(),
    /** broker/paper/market-clock.ts PaperMarketSession: date, seed, start minute, speed, anchor. */
    market: jsonb('market').notNull(),
    /** broker/paper/faults.ts PaperFaults. */
    faults: jsonb('faults').notNull().default({}),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [tenantIsolation('paper_accounts')],
).enableRLS();
