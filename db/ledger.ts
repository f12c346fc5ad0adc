/**
 * The trading ledger: order intents, broker truth synced into orders and fills, positions
 * rebuilt from fills, and the per-tag lock that makes a broker send exactly-once. Everything
 * is idempotent (business keys: the tag, the broker's trade id, deterministic inferred-fill
 * ids) and runs inside a tenant transaction.
 *
 * Positions are derived, never incremented: a symbol's position is recomputed from all its
 * fills under a per-(tenant, symbol) transaction lock, so retries and concurrent syncs cannot
 * count a fill twice or lose one.
 */
import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Pool } from 'pg';
import { dec, rupees } from '../domain/money';
import { FINAL_STATUSES, type OrderSide, type OrderStatus, type OrderType } from '../domain/orders';
import { applyTrade, openCost, type Position } from '../domain/paper-exchange';
import type { BrokerOrder, BrokerTrade } from '../contracts/broker-reports';
import { fills, orders, positions } from './schema';
import type { TenantTx } from './tenant';

export interface OrderIntent {
  tag: string;
  decisionId: string | null;
  legIndex: number | null;
  purpose: 'entry' | 'unwind' | 'exit' | 'hedge' | 'external';
  workflowId: string | null;
  runId: string | null;
  broker: string;
  instrument: string;
  tradingsymbol: string;
  expiry: string | null;
  strike: number | null;
  optionType: string | null;
  side: OrderSide;
  quantity: number;
  orderType: OrderType;
  limitPrice: string | null;
  status?: OrderStatus;
  external?: boolean;
}

/** Insert order rows once per tag; returns the tags that were new. */
export async function recordOrderIntents(tx: TenantTx, intents: readonly OrderIntent[]): Promise<string[]> {
  if (intents.length === 0) return [];
  const rows = await tx.db
    .insert(orders)
    .values(
      intents.map((o) => ({
        ...o,
        tenantId: tx.tenantId,
        strike: o.strike === null ? null : String(o.strike),
        status: o.status ?? 'INITIALIZED',
        external: o.external ?? false,
      })),
    )
    .onConflictDoNothing({ target: [orders.tenantId, orders.tag] })
    .returning({ tag: orders.tag });
  return rows.map((r) => r.tag);
}

export interface LedgerOrder {
  tag: string;
  decisionId: string | null;
  workflowId: string | null;
  purpose: string;
  brokerOrderId: string | null;
  tradingsymbol: string;
  instrument: string;
  side: OrderSide;
  quantity: number;
  status: string;
  filledQuantity: number;
  averagePrice: string | null;
  external: boolean;
  statusMessage: string | null;
  resolution: 'never_sent' | null;
  createdAt: Date;
  updatedAt: Date;
}

const ORDER_COLUMNS = {
  tag: orders.tag,
  decisionId: orders.decisionId,
  workflowId: orders.workflowId,
  purpose: orders.purpose,
  brokerOrderId: orders.brokerOrderId,
  tradingsymbol: orders.tradingsymbol,
  instrument: orders.instrument,
  side: orders.side,
  quantity: orders.quantity,
  status: orders.status,
  filledQuantity: orders.filledQuantity,
  averagePrice: orders.averagePrice,
  external: orders.external,
  statusMessage: orders.statusMessage,
  resolution: orders.resolution,
  createdAt: orders.createdAt,
  updatedAt: orders.updatedAt,
};

const byTag = (tx: TenantTx, tag: string) => and(eq(orders.tenantId, tx.tenantId), eq(orders.tag, tag));

export async function ledgerOrder(tx: TenantTx, tag: string): Promise<LedgerOrder | undefined> {
  const [row] = await tx.db.select(ORDER_COLUMNS).from(orders).where(byTag(tx, tag));
  return row;
}

/** An order row with the ids of its fills: what deciding "already in sync" needs. */
export interface LedgerOrderWithFills extends LedgerOrder {
  realFillIds: string[];
  inferredFills: number;
}

/** The given orders (by tag) with their fills, in one round trip. */
export async function ledgerOrdersWithFills(
  tx: TenantTx,
  tags: readonly string[],
): Promise<Map<string, LedgerOrderWithFills>> {
  if (tags.length === 0) return new Map();
  const ofThisOrder = sql`${fills.tenantId} = ${orders.tenantId} AND ${fills.orderTag} = ${orders.tag}`;
  const rows = await tx.db
    .select({
      ...ORDER_COLUMNS,
      realFillIds: sql<
        string[]
      >`ARRAY(SELECT ${fills.id} FROM ${fills} WHERE ${ofThisOrder} AND NOT ${fills.inferred})`,
      inferredFills: sql<number>`(SELECT count(*)::int FROM ${fills} WHERE ${ofThisOrder} AND ${fills.inferred})`,
    })
    .from(orders)
    .where(and(eq(orders.tenantId, tx.tenantId), inArray(orders.tag, [...tags])));
  return new Map(rows.map((r) => [r.tag, r]));
}

/** Every order of the tenant, oldest first. */
export async function ledgerOrders(tx: TenantTx): Promise<LedgerOrder[]> {
  return tx.db.select(ORDER_COLUMNS).from(orders).where(eq(orders.tenantId, tx.tenantId)).orderBy(asc(orders.id));
}

/** Workflows that own orders not yet final: the ones Reconciliation asks Temporal about. */
export async function workflowsWithOpenOrders(tx: TenantTx): Promise<string[]> {
  const rows = await tx.db
    .selectDistinct({ workflowId: orders.workflowId })
    .from(orders)
    .where(
      and(
        eq(orders.tenantId, tx.tenantId),
        notInArray(orders.status, [...FINAL_STATUSES]),
        sql`${orders.workflowId} IS NOT NULL`,
      ),
    )
    .orderBy(asc(orders.workflowId));
  return rows.map((r) => r.workflowId!);
}

export async function setOrderStatus(
  tx: TenantTx,
  tag: string,
  status: OrderStatus,
  message: string | null = null,
): Promise<void> {
  await tx.db
    .update(orders)
    .set({ status, updatedAt: sql`now()`, ...(message === null ? {} : { statusMessage: message }) })
    .where(byTag(tx, tag));
}

/** A cancel the broker accepted: PENDING_CANCEL unless broker truth already made the order final. */
export async function markCancelRequested(tx: TenantTx, tag: string): Promise<void> {
  await tx.db
    .update(orders)
    .set({ status: 'PENDING_CANCEL', updatedAt: sql`now()` })
    .where(and(byTag(tx, tag), notInArray(orders.status, [...FINAL_STATUSES])));
}

const TAG_LOCK = `hashtext('qs.order-tag')`;
const tagLockKey = (tenantId: number, tag: string) => `${tenantId}:${tag}`;

/**
 * Connections a tag-lock holder can have at once: the lock's own, plus two for the broker
 * calls it makes meanwhile (an order and its trades are read together).
 */
export const CONNECTIONS_PER_LOCK_HOLDER = 3;
const lockHolders = new WeakMap<Pool, number>();

/**
 * Holders a pool admits at once. A holder keeps its lock's connection while it waits for more;
 * were every connection a lock's, every holder would wait for one none of them gives back
 * (until the pool's connect timeout fails them all), whatever the worker's activity slots.
 */
export function lockHolderLimit(pool: Pool): number {
  return Math.max(1, Math.floor(pool.options.max / CONNECTIONS_PER_LOCK_HOLDER));
}

/**
 * Holds a session-level advisory lock on (tenant, tag) while fn runs, on a connection of its
 * own (a dead worker's connection drops and releases it). `wait` runs between tries, both for
 * a holder's place in the pool (lockHolderLimit) and for the lock itself.
 */
export async function withOrderTagLock<T>(
  pool: Pool,
  tenantId: number,
  tag: string,
  wait: () => Promise<void>,
  fn: () => Promise<T>,
): Promise<T> {
  if (pool.options.max < 2) throw new Error('an order tag lock needs a pool of at least 2 connections');
  while ((lockHolders.get(pool) ?? 0) >= lockHolderLimit(pool)) await wait();
  lockHolders.set(pool, (lockHolders.get(pool) ?? 0) + 1);
  try {
    return await holdTagLock(pool, tagLockKey(tenantId, tag), wait, fn);
  } finally {
    lockHolders.set(pool, lockHolders.get(pool)! - 1);
  }
}

async function holdTagLock<T>(pool: Pool, key: string, wait: () => Promise<void>, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    for (;;) {
      const { rows } = await client.query<{ ok: boolean }>(
        `SELECT pg_try_advisory_lock(${TAG_LOCK}, hashtext($1)) AS ok`,
        [key],
      );
      if (rows[0]?.ok) break;
      await wait();
    }
    try {
      return await fn();
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${TAG_LOCK}, hashtext($1))`, [key]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

/** Of the given tags (in their order), the intents still waiting to be sent (INITIALIZED, no broker order). */
export async function unsentIntentTags(tx: TenantTx, tags: readonly string[]): Promise<string[]> {
  if (tags.length === 0) return [];
  const rows = await tx.db
    .select({ tag: orders.tag })
    .from(orders)
    .where(
      and(
        eq(orders.tenantId, tx.tenantId),
        inArray(orders.tag, [...tags]),
        eq(orders.status, 'INITIALIZED'),
        sql`${orders.brokerOrderId} IS NULL`,
      ),
    );
  const unsent = new Set(rows.map((r) => r.tag));
  return tags.filter((t) => unsent.has(t));
}

/**
 * Closes an intent its workflow never sent (no broker order id, not final): status DENIED with
 * resolution 'never_sent'. Skipped (false) while a placement holds the tag's lock: it may be
 * sending right now. Once closed, a placement that comes back finds DENIED and sends nothing.
 */
export async function closeNeverSent(tx: TenantTx, tag: string, detail: string): Promise<boolean> {
  const locked = await tx.client.query<{ ok: boolean }>(
    `SELECT pg_try_advisory_xact_lock(${TAG_LOCK}, hashtext($1)) AS ok`,
    [tagLockKey(tx.tenantId, tag)],
  );
  if (!locked.rows[0]?.ok) return false;
  const closed = await tx.db
    .update(orders)
    .set({ status: 'DENIED', resolution: 'never_sent', statusMessage: detail, updatedAt: sql`now()` })
    .where(
      and(byTag(tx, tag), sql`${orders.brokerOrderId} IS NULL`, inArray(orders.status, ['INITIALIZED', 'SUBMITTED'])),
    )
    .returning({ tag: orders.tag });
  return closed.length > 0;
}

/** Serialises every writer of one symbol's fills and position within a tenant. */
export async function lockSymbol(tx: TenantTx, tradingsymbol: string): Promise<void> {
  await tx.client.query(`SELECT pg_advisory_xact_lock(hashtext('qs.position'), hashtext($1))`, [
    `${tx.tenantId}:${tradingsymbol}`,
  ]);
}

export interface SyncOutcome {
  newFills: number;
  inferredQuantity: number;
  statusChanged: boolean;
}

/**
 * Broker truth about one of our orders into the ledger: status, filled quantity and average
 * price (never moving backwards: an older snapshot arriving late cannot undo a newer one,
 * except that a row never linked to a broker order takes whatever the broker says), the
 * broker's trades as fills, and — when the broker reports more filled than its trades
 * show — an inferred fill with a deterministic id for the difference, superseded as soon as
 * the real trades arrive. Linking clears a 'never_sent' resolution: the broker has it.
 */
export async function syncOrderFromBroker(
  tx: TenantTx,
  tag: string,
  b: BrokerOrder,
  trades: readonly BrokerTrade[],
  /** The row's symbol and size when the caller has just read it (they never change). */
  known?: Pick<LedgerOrder, 'tradingsymbol' | 'instrument' | 'quantity'>,
): Promise<SyncOutcome> {
  const existing = known ?? (await ledgerOrder(tx, tag));
  if (!existing) throw new Error(`ledger: no order with tag ${tag}`);
  await lockSymbol(tx, existing.tradingsymbol);
  const filled = Math.min(b.filledQuantity, existing.quantity);
  const { rowCount } = await tx.client.query(
    `UPDATE orders SET broker_order_id = $3, status = $4, filled_quantity = $5,
            average_price = NULLIF($6, '0')::numeric, status_message = $7, resolution = NULL, updated_at = now()
      WHERE tenant_id = $1 AND tag = $2
        AND (broker_order_id IS NULL OR filled_quantity < $5
             OR (filled_quantity = $5 AND (NOT (status = ANY($8::text[])) OR status = $4)))
        AND (status IS DISTINCT FROM $4 OR filled_quantity <> $5 OR broker_order_id IS DISTINCT FROM $3
             OR average_price IS DISTINCT FROM NULLIF($6, '0')::numeric)`,
    [tx.tenantId, tag, b.brokerOrderId, b.status, filled, b.averagePrice, b.statusMessage, FINAL_STATUSES],
  );
  const ours = trades.filter((t) => t.brokerOrderId === b.brokerOrderId);
  const inserted =
    ours.length === 0
      ? []
      : await tx.db
          .insert(fills)
          .values(
            ours.map((t) => ({
              tenantId: tx.tenantId,
              id: t.tradeId,
              orderTag: tag,
              brokerOrderId: t.brokerOrderId,
              quantity: t.quantity,
              price: t.price,
              filledAt: new Date(t.filledAt),
              inferred: false,
            })),
          )
          .onConflictDoNothing({ target: [fills.tenantId, fills.id] })
          .returning({ id: fills.id });
  const newFills = inserted.length;
  const inferredQuantity = await reconcileInferredFills(tx, tag, b);
  if (newFills > 0 || inferredQuantity !== 0 || (rowCount ?? 0) > 0)
    await rebuildPosition(tx, existing.tradingsymbol, existing.instrument);
  return { newFills, inferredQuantity, statusChanged: (rowCount ?? 0) > 0 };
}

/**
 * Whether syncOrderFromBroker would change nothing: the row already says what the broker says
 * (the same test as its UPDATE) and holds every trade as a real fill with no inferred one.
 * Callers skip the sync (and its symbol lock) then; any doubt answers false.
 */
export function ledgerMatchesBroker(
  row: LedgerOrderWithFills,
  b: BrokerOrder,
  trades: readonly BrokerTrade[],
): boolean {
  if (row.brokerOrderId !== b.brokerOrderId || row.status !== b.status) return false;
  if (b.filledQuantity > row.quantity || row.filledQuantity !== b.filledQuantity || row.inferredFills > 0) return false;
  const brokerAvg = b.averagePrice === '0' ? null : b.averagePrice;
  if (row.averagePrice === null || brokerAvg === null) {
    if (row.averagePrice !== brokerAvg) return false;
  } else if (!dec(row.averagePrice).eq(dec(brokerAvg))) return false;
  const ours = trades.filter((t) => t.brokerOrderId === b.brokerOrderId);
  const known = new Set(row.realFillIds);
  return ours.every((t) => known.has(t.tradeId)) && ours.reduce((q, t) => q + t.quantity, 0) === b.filledQuantity;
}

async function reconcileInferredFills(tx: TenantTx, tag: string, b: BrokerOrder): Promise<number> {
  // One statement: the real fills' total, and every inferred fill that total makes stale gone
  // (all of them, unless the broker still reports more filled than the trades show).
  const id = `inferred:${tag}:${b.filledQuantity}`;
  const { rows } = await tx.client.query<{ real: string }>(
    `WITH real AS (
       SELECT coalesce(sum(quantity), 0) AS q FROM fills WHERE tenant_id = $1 AND order_tag = $2 AND NOT inferred),
     stale AS (
       DELETE FROM fills f USING real
        WHERE f.tenant_id = $1 AND f.order_tag = $2 AND f.inferred
          AND f.id <> CASE WHEN $4::int - real.q > 0 THEN $3 ELSE '' END)
     SELECT q::text AS real FROM real`,
    [tx.tenantId, tag, id, b.filledQuantity],
  );
  const missing = b.filledQuantity - Number(rows[0]?.real ?? 0);
  if (missing <= 0) return 0;
  const price = dec(b.averagePrice).isZero() ? null : b.averagePrice;
  if (price === null) return 0;
  const r = await tx.client.query(
    `INSERT INTO fills (tenant_id, id, order_tag, broker_order_id, quantity, price, filled_at, inferred)
     VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7::timestamptz, now()), true) ON CONFLICT (tenant_id, id) DO NOTHING`,
    [tx.tenantId, id, tag, b.brokerOrderId, missing, price, b.updatedAt ?? b.placedAt],
  );
  return (r.rowCount ?? 0) > 0 ? missing : 0;
}

/** Recompute one symbol's position from all its fills (FIFO lots, exact realised P&L). */
export async function rebuildPosition(
  tx: TenantTx,
  tradingsymbol: string,
  instrument: string,
): Promise<{ quantity: number }> {
  const { rows } = await tx.client.query<{ quantity: number; price: string; side: OrderSide }>(
    `SELECT f.quantity, f.price::text AS price, o.side FROM fills f
       JOIN orders o ON o.tenant_id = f.tenant_id AND o.tag = f.order_tag
      WHERE f.tenant_id = $1 AND o.tradingsymbol = $2 ORDER BY f.filled_at, f.id`,
    [tx.tenantId, tradingsymbol],
  );
  const contract = { instrument: instrument as 'NIFTY', expiry: '', strike: 0, type: 'call' as const };
  let pos: Position | undefined;
  for (const r of rows) pos = applyTrade(pos, contract, r.side === 'BUY' ? r.quantity : -r.quantity, r.price);
  const quantity = pos?.netQty ?? 0;
  const avg = pos && quantity !== 0 ? openCost(pos).dividedBy(quantity).toDecimalPlaces(4).toString() : '0';
  await tx.client.query(
    `INSERT INTO positions (tenant_id, tradingsymbol, instrument, quantity, average_price, realized_pnl, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (tenant_id, tradingsymbol) DO UPDATE SET quantity = EXCLUDED.quantity,
       average_price = EXCLUDED.average_price, realized_pnl = EXCLUDED.realized_pnl, updated_at = now()`,
    [tx.tenantId, tradingsymbol, instrument, quantity, avg, rupees(pos?.realizedPnl ?? '0')],
  );
  return { quantity };
}

export async function ledgerPositions(tx: TenantTx): Promise<Array<{ tradingsymbol: string; quantity: number }>> {
  return tx.db
    .select({ tradingsymbol: positions.tradingsymbol, quantity: positions.quantity })
    .from(positions)
    .where(eq(positions.tenantId, tx.tenantId))
    .orderBy(asc(positions.tradingsymbol));
}

export interface FilledOrder {
  tag: string;
  side: OrderSide;
  instrument: string;
  /** Units filled, and Σ quantity × price of the fills (exact decimal string). */
  quantity: number;
  notional: string;
}

/** What filled of the given orders, one row per order that has fills. */
export async function filledOrders(tx: TenantTx, tags: readonly string[]): Promise<FilledOrder[]> {
  const { rows } = await tx.client.query<{
    tag: string;
    side: OrderSide;
    instrument: string;
    qty: string;
    notional: string;
  }>(
    `SELECT o.tag, o.side, o.instrument, sum(f.quantity)::text AS qty, sum(f.quantity * f.price)::text AS notional
       FROM orders o JOIN fills f ON f.tenant_id = o.tenant_id AND f.order_tag = o.tag
      WHERE o.tenant_id = $1 AND o.tag = ANY($2::text[]) GROUP BY o.tag, o.side, o.instrument ORDER BY o.tag`,
    [tx.tenantId, tags],
  );
  return rows.map((r) => ({
    tag: r.tag,
    side: r.side,
    instrument: r.instrument,
    quantity: Number(r.qty),
    notional: r.notional,
  }));
}
