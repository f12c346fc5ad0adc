/**
 * The trading ledger's write paths: order intents, broker truth synced into orders and fills,
 * and positions rebuilt from fills. Everything is idempotent (business keys: the tag, the
 * broker's trade id, deterministic inferred-fill ids) and runs inside a tenant transaction.
 *
 * Positions are derived, never incremented: a symbol's position is recomputed from all its
 * fills under a per-(tenant, symbol) transaction lock, so retries and concurrent syncs cannot
 * count a fill twice or lose one.
 */
import type { PoolClient } from 'pg';
import { dec, rupees } from '../domain/money';
import { applyTrade, openCost, type Position } from '../domain/paper-exchange';
import type { BrokerOrder, BrokerTrade } from '../broker/port';
import { isFinalStatus } from '../broker/status';

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
  side: 'BUY' | 'SELL';
  quantity: number;
  orderType: 'MARKET' | 'LIMIT';
  limitPrice: string | null;
  status?: string;
  external?: boolean;
}

/** Insert order rows once per tag; returns the tags that were new. */
export async function recordOrderIntents(
  client: PoolClient,
  tenantId: number,
  intents: readonly OrderIntent[],
): Promise<string[]> {
  const inserted: string[] = [];
  for (const o of intents) {
    const { rows } = await client.query<{ tag: string }>(
      `INSERT INTO orders (tenant_id, tag, decision_id, leg_index, purpose, workflow_id, run_id, broker, instrument, tradingsymbol,
                           expiry, strike, option_type, side, quantity, order_type, limit_price, status, external)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19)
       ON CONFLICT (tenant_id, tag) DO NOTHING RETURNING tag`,
      [
        tenantId,
        o.tag,
        o.decisionId,
        o.legIndex,
        o.purpose,
        o.workflowId,
        o.runId,
        o.broker,
        o.instrument,
        o.tradingsymbol,
        o.expiry,
        o.strike,
        o.optionType,
        o.side,
        o.quantity,
        o.orderType,
        o.limitPrice,
        o.status ?? 'INITIALIZED',
        o.external ?? false,
      ],
    );
    if (rows[0]) inserted.push(rows[0].tag);
  }
  return inserted;
}

export interface LedgerOrder {
  tag: string;
  decisionId: string | null;
  workflowId: string | null;
  purpose: string;
  brokerOrderId: string | null;
  tradingsymbol: string;
  instrument: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  status: string;
  filledQuantity: number;
  averagePrice: string | null;
  external: boolean;
  createdAt: Date;
}

const ORDER_COLUMNS = `tag, decision_id AS "decisionId", workflow_id AS "workflowId", purpose, broker_order_id AS "brokerOrderId", tradingsymbol, instrument,
  side, quantity, status, filled_quantity AS "filledQuantity", average_price::text AS "averagePrice", external, created_at AS "createdAt"`;

export async function ledgerOrder(client: PoolClient, tenantId: number, tag: string): Promise<LedgerOrder | undefined> {
  const { rows } = await client.query<LedgerOrder>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE tenant_id = $1 AND tag = $2`,
    [tenantId, tag],
  );
  return rows[0];
}

export async function ledgerOrders(client: PoolClient, tenantId: number): Promise<LedgerOrder[]> {
  const { rows } = await client.query<LedgerOrder>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE tenant_id = $1 ORDER BY id`,
    [tenantId],
  );
  return rows;
}

export async function setOrderStatus(
  client: PoolClient,
  tenantId: number,
  tag: string,
  status: string,
  message: string | null = null,
): Promise<void> {
  await client.query(
    'UPDATE orders SET status = $3, status_message = COALESCE($4, status_message), updated_at = now() WHERE tenant_id = $1 AND tag = $2',
    [tenantId, tag, status, message],
  );
}

/** Serialises every writer of one symbol's fills and position within a tenant. */
export async function lockSymbol(client: PoolClient, tenantId: number, tradingsymbol: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('qs.position'), hashtext($1))`, [
    `${tenantId}:${tradingsymbol}`,
  ]);
}

export interface SyncOutcome {
  newFills: number;
  inferredQuantity: number;
  statusChanged: boolean;
}

/**
 * Broker truth about one of our orders into the ledger: status, filled quantity and average
 * price (never moving backwards: an older snapshot arriving late cannot undo a newer one),
 * the broker's trades as fills, and — when the broker reports more filled than its trades
 * show — an inferred fill with a deterministic id for the difference, superseded as soon as
 * the real trades arrive.
 */
export async function syncOrderFromBroker(
  client: PoolClient,
  tenantId: number,
  tag: string,
  b: BrokerOrder,
  trades: readonly BrokerTrade[],
): Promise<SyncOutcome> {
  const existing = await ledgerOrder(client, tenantId, tag);
  if (!existing) throw new Error(`ledger: no order with tag ${tag}`);
  await lockSymbol(client, tenantId, existing.tradingsymbol);
  const filled = Math.min(b.filledQuantity, existing.quantity);
  const { rowCount } = await client.query(
    `UPDATE orders SET broker_order_id = $3, status = $4, filled_quantity = $5, average_price = NULLIF($6, '0')::numeric,
            status_message = $7, updated_at = now()
      WHERE tenant_id = $1 AND tag = $2
        AND (filled_quantity < $5 OR (filled_quantity = $5 AND (NOT (status = ANY($8::text[])) OR status = $4)))
        AND (status IS DISTINCT FROM $4 OR filled_quantity <> $5 OR broker_order_id IS DISTINCT FROM $3 OR average_price IS DISTINCT FROM NULLIF($6, '0')::numeric)`,
    [tenantId, tag, b.brokerOrderId, b.status, filled, b.averagePrice, b.statusMessage, FINAL],
  );
  let newFills = 0;
  for (const t of trades) {
    if (t.brokerOrderId !== b.brokerOrderId) continue;
    const r = await client.query(
      `INSERT INTO fills (tenant_id, id, order_tag, broker_order_id, quantity, price, filled_at, inferred)
       VALUES ($1, $2, $3, $4, $5, $6, $7, false) ON CONFLICT (tenant_id, id) DO NOTHING`,
      [tenantId, t.tradeId, tag, t.brokerOrderId, t.quantity, t.price, t.filledAt],
    );
    newFills += r.rowCount ?? 0;
  }
  const inferredQuantity = await reconcileInferredFills(client, tenantId, tag, b);
  if (newFills > 0 || inferredQuantity !== 0 || (rowCount ?? 0) > 0)
    await rebuildPosition(client, tenantId, existing.tradingsymbol, existing.instrument);
  return { newFills, inferredQuantity, statusChanged: (rowCount ?? 0) > 0 };
}

const FINAL = ['FILLED', 'CANCELED', 'EXPIRED', 'REJECTED', 'DENIED'];

async function reconcileInferredFills(
  client: PoolClient,
  tenantId: number,
  tag: string,
  b: BrokerOrder,
): Promise<number> {
  const { rows } = await client.query<{ real: string | null }>(
    'SELECT sum(quantity)::text AS real FROM fills WHERE tenant_id = $1 AND order_tag = $2 AND NOT inferred',
    [tenantId, tag],
  );
  const real = Number(rows[0]?.real ?? 0);
  const missing = b.filledQuantity - real;
  const id = `inferred:${tag}:${b.filledQuantity}`;
  await client.query('DELETE FROM fills WHERE tenant_id = $1 AND order_tag = $2 AND inferred AND id <> $3', [
    tenantId,
    tag,
    missing > 0 ? id : '',
  ]);
  if (missing <= 0) return 0;
  const price = dec(b.averagePrice).isZero() ? null : b.averagePrice;
  if (price === null) return 0;
  const r = await client.query(
    `INSERT INTO fills (tenant_id, id, order_tag, broker_order_id, quantity, price, filled_at, inferred)
     VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7::timestamptz, now()), true) ON CONFLICT (tenant_id, id) DO NOTHING`,
    [tenantId, id, tag, b.brokerOrderId, missing, price, b.updatedAt ?? b.placedAt],
  );
  return (r.rowCount ?? 0) > 0 ? missing : 0;
}

/** Recompute one symbol's position from all its fills (FIFO lots, exact realised P&L). */
export async function rebuildPosition(
  client: PoolClient,
  tenantId: number,
  tradingsymbol: string,
  instrument: string,
): Promise<{ quantity: number }> {
  const { rows } = await client.query<{ quantity: number; price: string; side: 'BUY' | 'SELL' }>(
    `SELECT f.quantity, f.price::text AS price, o.side FROM fills f
       JOIN orders o ON o.tenant_id = f.tenant_id AND o.tag = f.order_tag
      WHERE f.tenant_id = $1 AND o.tradingsymbol = $2 ORDER BY f.filled_at, f.id`,
    [tenantId, tradingsymbol],
  );
  const contract = { instrument: instrument as 'NIFTY', expiry: '', strike: 0, type: 'call' as const };
  let pos: Position | undefined;
  for (const r of rows) pos = applyTrade(pos, contract, r.side === 'BUY' ? r.quantity : -r.quantity, r.price);
  const quantity = pos?.netQty ?? 0;
  const avg = pos && quantity !== 0 ? openCost(pos).dividedBy(quantity).toDecimalPlaces(4).toString() : '0';
  await client.query(
    `INSERT INTO positions (tenant_id, tradingsymbol, instrument, quantity, average_price, realized_pnl, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (tenant_id, tradingsymbol) DO UPDATE SET quantity = EXCLUDED.quantity, average_price = EXCLUDED.average_price,
       realized_pnl = EXCLUDED.realized_pnl, updated_at = now()`,
    [tenantId, tradingsymbol, instrument, quantity, avg, rupees(pos?.realizedPnl ?? '0')],
  );
  return { quantity };
}

export async function ledgerPositions(
  client: PoolClient,
  tenantId: number,
): Promise<Array<{ tradingsymbol: string; quantity: number }>> {
  const { rows } = await client.query<{ tradingsymbol: string; quantity: number }>(
    'SELECT tradingsymbol, quantity FROM positions WHERE tenant_id = $1 ORDER BY tradingsymbol',
    [tenantId],
  );
  return rows;
}

/** Mark the tenant not clean (fail closed) with what is unresolved; the next clean full reconciliation clears it. */
export async function markTenantUnclean(
  client: PoolClient,
  tenantId: number,
  unresolved: unknown[],
  workflowId: string,
): Promise<void> {
  await client.query(
    `INSERT INTO tenant_trading_state (tenant_id, reconciliation_clean, unresolved, last_reconciliation_workflow_id)
     VALUES ($1, false, $2::jsonb, $3)
     ON CONFLICT (tenant_id) DO UPDATE SET reconciliation_clean = false,
       unresolved = tenant_trading_state.unresolved || EXCLUDED.unresolved, last_reconciliation_workflow_id = EXCLUDED.last_reconciliation_workflow_id`,
    [tenantId, JSON.stringify(unresolved), workflowId],
  );
}

export { isFinalStatus };
