/**
 * The trading ledger and its provenance: decision → workflow/run → orders (one per leg, tagged)
 * → fills → trade (costs). Money and prices are numeric, never floats.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { tenantIdColumn, tenantIsolation } from './tenancy';

const money = (name: string) => numeric(name, { precision: 18, scale: 2 });
const price = (name: string) => numeric(name, { precision: 14, scale: 4 });

export const decisions = pgTable(
  'decisions',
  {
    tenantId: tenantIdColumn(),
    /** Business key, e.g. `<date>/<seq>`: the OrderPlacement workflow id is derived from it. */
    id: text('id').notNull(),
    tradingDate: date('trading_date').notNull(),
    workflowId: text('workflow_id').notNull(),
    runId: text('run_id').notNull(),
    structure: text('structure').notNull(),
    instrument: text('instrument').notNull(),
    lots: integer('lots').notNull(),
    snapshotId: text('snapshot_id'),
    /** [{ typeId, version, sha256 }] */
    modelVersions: jsonb('model_versions').notNull().default([]),
    /** Risk-castle outcomes, wall by wall, with the numbers behind each. */
    gateOutcomes: jsonb('gate_outcomes').notNull().default([]),
    costBreakdown: jsonb('cost_breakdown').notNull().default({}),
    expectedPnl: money('expected_pnl'),
    netEv: money('net_ev'),
    /** The whole why (domain/decision Decision): factors, signals, combiner, agent, candidates, legs, reasons. */
    why: jsonb('why').notNull().default({}),
    status: text('status').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), tenantIsolation('decisions')],
).enableRLS();

export const orders = pgTable(
  'orders',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: tenantIdColumn(),
    /** Deterministic per (workflow, leg, attempt); the broker's only idempotency handle. */
    tag: text('tag').notNull(),
    decisionId: text('decision_id'),
    legIndex: integer('leg_index'),
    /** 'entry' | 'unwind' | 'exit' | 'hedge' | 'external' */
    purpose: text('purpose').notNull().default('entry'),
    workflowId: text('workflow_id'),
    runId: text('run_id'),
    broker: text('broker').notNull(),
    brokerOrderId: text('broker_order_id'),
    instrument: text('instrument').notNull(),
    tradingsymbol: text('tradingsymbol').notNull(),
    expiry: date('expiry'),
    strike: price('strike'),
    optionType: text('option_type'),
    side: text('side', { enum: ['BUY', 'SELL'] }).notNull(),
    quantity: integer('quantity').notNull(),
    orderType: text('order_type', { enum: ['MARKET', 'LIMIT'] }).notNull(),
    limitPrice: price('limit_price'),
    status: text('status').notNull(),
    filledQuantity: integer('filled_quantity').notNull().default(0),
    averagePrice: price('average_price'),
    /** Placed outside Quantsentinel and found by reconciliation. */
    external: boolean('external').notNull().default(false),
    /** Closed by reconciliation rather than by broker truth: 'never_sent' (an intent its workflow never sent). */
    resolution: text('resolution', { enum: ['never_sent'] }),
    statusMessage: text('status_message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('orders_tenant_tag').on(t.tenantId, t.tag),
    index('orders_tenant_decision').on(t.tenantId, t.decisionId),
    index('orders_tenant_broker_order').on(t.tenantId, t.brokerOrderId),
    check('orders_resolution', sql`${t.resolution} IS NULL OR ${t.resolution} = 'never_sent'`),
    check(
      'orders_quantity_positive',
      sql`${t.quantity} > 0 AND ${t.filledQuantity} >= 0 AND ${t.filledQuantity} <= ${t.quantity}`,
    ),
    tenantIsolation('orders'),
  ],
).enableRLS();

export const fills = pgTable(
  'fills',
  {
    tenantId: tenantIdColumn(),
    /** The broker's trade id, or a deterministic `inferred:<tag>:<n>` id from reconciliation. */
    id: text('id').notNull(),
    orderTag: text('order_tag').notNull(),
    brokerOrderId: text('broker_order_id'),
    quantity: integer('quantity').notNull(),
    price: price('price').notNull(),
    filledAt: timestamp('filled_at', { withTimezone: true }).notNull(),
    inferred: boolean('inferred').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('fills_tenant_tag').on(t.tenantId, t.orderTag),
    check('fills_quantity_positive', sql`${t.quantity} > 0`),
    tenantIsolation('fills'),
  ],
).enableRLS();

export const positions = pgTable(
  'positions',
  {
    tenantId: tenantIdColumn(),
    tradingsymbol: text('tradingsymbol').notNull(),
    instrument: text('instrument').notNull(),
    /** Signed: positive long, negative short. */
    quantity: integer('quantity').notNull(),
    averagePrice: price('average_price').notNull(),
    realizedPnl: money('realized_pnl').notNull().default('0'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.tradingsymbol] }), tenantIsolation('positions')],
).enableRLS();

/** One row per executed (or unwound) structure: the head of its provenance chain. */
export const trades = pgTable(
  'trades',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    decisionId: text('decision_id').notNull(),
    workflowId: text('workflow_id').notNull(),
    runId: text('run_id').notNull(),
    structure: text('structure').notNull(),
    instrument: text('instrument').notNull(),
    /** 'filled' | 'unwound' | 'cancelled' | 'rejected' */
    status: text('status').notNull(),
    reason: text('reason'),
    legTags: jsonb('leg_tags').notNull().default([]),
    costBreakdown: jsonb('cost_breakdown').notNull().default({}),
    totalCosts: money('total_costs').notNull().default('0'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('trades_tenant_decision').on(t.tenantId, t.decisionId),
    tenantIsolation('trades'),
  ],
).enableRLS();

export const reconciliationRuns = pgTable(
  'reconciliation_runs',
  {
    tenantId: tenantIdColumn(),
    workflowId: text('workflow_id').notNull(),
    runId: text('run_id').notNull(),
    clean: boolean('clean').notNull(),
    ledgerOrders: integer('ledger_orders').notNull(),
    /** Ledger rows the run accounted for (clean needs all of them); null before it was recorded. */
    accountedOrders: integer('accounted_orders'),
    brokerOrders: integer('broker_orders').notNull(),
    mismatches: jsonb('mismatches').notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.workflowId, t.runId] }), tenantIsolation('reconciliation_runs')],
).enableRLS();
