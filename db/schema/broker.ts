/**
 * Broker accounts and the paper broker's exchange state. The paper broker keeps its book in
 * Postgres (not in worker memory) so a worker killed mid-order finds the same orders, trades
 * and fault settings when it comes back: broker truth must outlive the process asking it.
 */
import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
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
    /**
     * Kite: the app secret (session checksums, postbacks) and the day's access token, sealed
     * with QS_SECRETS_KEY (db/secret-box.ts): nothing here is readable without the key.
     */
    apiSecretEnc: text('api_secret_enc'),
    accessTokenEnc: text('access_token_enc'),
    /** When Kite issued the access token (it expires at the next 06:00 IST). */
    tokenCreatedAt: timestamp('token_created_at', { withTimezone: true }),
    /** none (never logged in) | active | relogin_required (Kite answered TokenException). */
    sessionStatus: text('session_status', { enum: ['none', 'active', 'relogin_required'] })
      .notNull()
      .default('none'),
    sessionReason: text('session_reason'),
    /** The tenant's own broker task queue (broker.<…>); NULL = the shared `broker` queue. */
    taskQueue: text('task_queue'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('broker_accounts_broker', sql`${t.broker} IN ('paper', 'kite')`),
    check('broker_accounts_session_status', sql`${t.sessionStatus} IN ('none', 'active', 'relogin_required')`),
    check(
      'broker_accounts_sealed',
      sql`(${t.apiSecretEnc} IS NULL OR ${t.apiSecretEnc} LIKE 'qs1:%')
        AND (${t.accessTokenEnc} IS NULL OR ${t.accessTokenEnc} LIKE 'qs1:%')`,
    ),
    tenantIsolation('broker_accounts'),
  ],
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

/**
 * The paper exchange's final orders, out of paper_accounts' state (which every call rewrites):
 * a final order never changes, so it is written once and read by id, by tag or with the book.
 */
export const paperClosedOrders = pgTable(
  'paper_closed_orders',
  {
    tenantId: tenantIdColumn(),
    orderId: text('order_id').notNull(),
    /** The exchange's placement sequence: the book's order. */
    seq: integer('seq').notNull(),
    tag: text('tag'),
    /** domain/paper-exchange ExchangeOrder. */
    exchangeOrder: jsonb('exchange_order').notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.orderId] }),
    uniqueIndex('paper_closed_orders_tag').on(t.tenantId, t.tag),
    tenantIsolation('paper_closed_orders'),
  ],
).enableRLS();
