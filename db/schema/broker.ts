/**
 * Broker accounts and the paper broker's exchange state. The paper broker keeps its book in
 * Postgres (not in worker memory) so a worker killed mid-order finds the same orders, trades
 * and fault settings when it comes back: broker truth must outlive the process asking it.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { tenantIdColumn, tenantIsolation } from './tenancy';

const price = (name: string) => numeric(name, { precision: 14, scale: 4 });

/** Which broker a tenant trades through. No row = the paper broker. */
export const brokerAccounts = pgTable(
  'broker_accounts',
  {
    tenantId: tenantIdColumn().primaryKey(),
    broker: text('broker', { enum: ['paper', 'kite'] }).notNull().default('paper'),
    /** Non-secret settings, e.g. kite: { baseUrl, apiKey, timeoutMs }. */
    settings: jsonb('settings').notNull().default({}),
    /** Kite: the day's access token (from the login flow) and the app secret (postback checksums). */
    accessToken: text('access_token'),
    apiSecret: text('api_secret'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('broker_accounts_broker', sql`${t.broker} IN ('paper', 'kite')`), tenantIsolation('broker_accounts')],
).enableRLS();

/** One paper trading account per tenant: fault injection settings and the order id sequence. */
export const paperAccounts = pgTable(
  'paper_accounts',
  {
    tenantId: tenantIdColumn().primaryKey(),
    /** See broker/paper/faults.ts (PaperFaults). */
    faults: jsonb('faults').notNull().default({}),
    openingBalance: numeric('opening_balance', { precision: 18, scale: 2 }).notNull().default('1000000.00'),
    orderSeq: bigint('order_seq', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [tenantIsolation('paper_accounts')],
).enableRLS();

export const paperOrders = pgTable(
  'paper_orders',
  {
    tenantId: tenantIdColumn(),
    orderId: text('order_id').notNull(),
    tag: text('tag'),
    exchange: text('exchange').notNull(),
    tradingsymbol: text('tradingsymbol').notNull(),
    side: text('side', { enum: ['BUY', 'SELL'] }).notNull(),
    orderType: text('order_type', { enum: ['MARKET', 'LIMIT'] }).notNull(),
    product: text('product').notNull(),
    quantity: integer('quantity').notNull(),
    price: price('price'),
    /** Kite vocabulary: OPEN, COMPLETE, CANCELLED, REJECTED, CANCEL PENDING… */
    status: text('status').notNull(),
    filledQuantity: integer('filled_quantity').notNull().default(0),
    averagePrice: price('average_price').notNull().default('0'),
    statusMessage: text('status_message'),
    /** Fill schedule fixed at placement: [{ afterMs, quantity }], plus behaviour on cancel. */
    plan: jsonb('plan').notNull().default({}),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.orderId] }),
    index('paper_orders_tenant_tag').on(t.tenantId, t.tag),
    check('paper_orders_quantity', sql`${t.quantity} > 0 AND ${t.filledQuantity} >= 0 AND ${t.filledQuantity} <= ${t.quantity}`),
    tenantIsolation('paper_orders'),
  ],
).enableRLS();

export const paperTrades = pgTable(
  'paper_trades',
  {
    tenantId: tenantIdColumn(),
    tradeId: text('trade_id').notNull(),
    orderId: text('order_id').notNull(),
    tradingsymbol: text('tradingsymbol').notNull(),
    side: text('side', { enum: ['BUY', 'SELL'] }).notNull(),
    quantity: integer('quantity').notNull(),
    price: price('price').notNull(),
    filledAt: timestamp('filled_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.tradeId] }),
    index('paper_trades_tenant_order').on(t.tenantId, t.orderId),
    check('paper_trades_quantity', sql`${t.quantity} > 0`),
    tenantIsolation('paper_trades'),
  ],
).enableRLS();
