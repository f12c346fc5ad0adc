/**
 * The API's event outbox: a change writes its event (api_events, qs_publish_api_event; the orders
 * trigger does it for every ledger write) in its own transaction, so workers never call the API
 * and a rolled-back change announces nothing. After the commit, the committer wakes the readers
 * with an empty NOTIFY (outbox-wake.ts). Each API node reads what is new for the tenants it
 * serves, in commit order (an OutboxCursor), under each tenant's RLS.
 */
import type { Client, Pool } from 'pg';
import type { TenantTx } from './tenant';
import { API_EVENTS_CHANNEL } from './outbox-wake';

export { API_EVENTS_CHANNEL };
export const EVENT_CHANNELS = ['decisions', 'orders', 'positions', 'pnl', 'trading-state', 'gates'] as const;
export type EventChannel = (typeof EVENT_CHANNELS)[number];

export interface ApiEvent {
  id: number;
  tenantId: number;
  channel: EventChannel;
  payload: unknown;
  createdAt: string;
  /** The writing transaction's id (xid8): visible in a snapshot or not (snapshotSees). */
  txid: bigint;
}

/** Inside the transaction that makes the change. */
export async function publishApiEvent(tx: TenantTx, channel: EventChannel, payload: unknown): Promise<number> {
  const { rows } = await tx.client.query<{ id: string }>('SELECT qs_publish_api_event($1, $2, $3::jsonb) AS id', [
    tx.tenantId,
    channel,
    JSON.stringify(payload),
  ]);
  return Number(rows[0].id);
}

/**
 * Where a reader is in the outbox, per tenant it reads: every event of a transaction below the
 * tenant's horizon has been read (or was in the state its subscribers started from); `seen` holds
 * the ids read at or above it (their commits may land in any order).
 */
export interface OutboxCursor {
  /** The newest horizon: a tenant watched from now on starts there. */
  horizon: bigint;
  tenants: Map<number, bigint>;
  seen: Map<number, bigint>;
}

export const newOutboxCursor = (): OutboxCursor => ({ horizon: 0n, tenants: new Map(), seen: new Map() });

/**
 * Reads a tenant from now on. Call it before reading the state its subscriber starts from: every
 * transaction below the current horizon had ended before that read, so its events are in the state.
 */
export function watchTenant(cursor: OutboxCursor, tenantId: number): void {
  if (!cursor.tenants.has(tenantId)) cursor.tenants.set(tenantId, cursor.horizon);
}

export const unwatchTenant = (cursor: OutboxCursor, tenantId: number): boolean => cursor.tenants.delete(tenantId);

/** The events committed since the cursor for the tenants it watches, each tenant's in commit order; advances it. */
export async function readApiEvents(pool: Pool, cursor: OutboxCursor): Promise<ApiEvent[]> {
  const tenants = [...cursor.tenants.keys()];
  const horizons = tenants.map((t) => cursor.tenants.get(t)!.toString());
  type Row = { horizon: string; events: Array<Omit<ApiEvent, 'txid'> & { txid: string }> };
  // One statement, so one implicit transaction: the function's per-tenant set_config lasts for it alone.
  const { rows } = await pool.query<{ r: Row }>(
    'SELECT qs_api_events_after($1::int[], $2::xid8[], $3::bigint[]) AS r',
    [tenants, horizons, [...cursor.seen.keys()]],
  );
  const out = rows[0]!.r;
  const horizon = BigInt(out.horizon);
  if (horizon > cursor.horizon) cursor.horizon = horizon;
  // Tenants watched while this read was in flight keep their own horizon.
  for (const t of tenants) if (cursor.tenants.has(t)) cursor.tenants.set(t, cursor.horizon);
  const events = out.events.map((e) => ({ ...e, txid: BigInt(e.txid) }));
  for (const e of events) cursor.seen.set(e.id, e.txid);
  const lowest = [...cursor.tenants.values()].reduce((a, b) => (b < a ? b : a), cursor.horizon);
  for (const [id, txid] of cursor.seen) if (txid < lowest) cursor.seen.delete(id);
  return events;
}

/** A snapshot (pg_current_snapshot) as a subscriber's state saw the outbox. */
export interface OutboxSnapshot {
  xmin: bigint;
  xmax: bigint;
  inProgress: Set<bigint>;
}

function parseSnapshot(text: string): OutboxSnapshot {
  const [xmin, xmax, xip] = text.split(':');
  return {
    xmin: BigInt(xmin!),
    xmax: BigInt(xmax!),
    inProgress: new Set(
      (xip ?? '')
        .split(',')
        .filter(Boolean)
        .map((x) => BigInt(x)),
    ),
  };
}

/** Whether an event's transaction had committed for that snapshot (so the state includes it). */
export function snapshotSees(s: OutboxSnapshot, txid: bigint): boolean {
  if (txid < s.xmin) return true;
  if (txid >= s.xmax) return false;
  return !s.inProgress.has(txid);
}

/**
 * Where a subscriber's state stands in the outbox, read in the (REPEATABLE READ) transaction `tx`
 * that reads the state: its snapshot, and the channel's newest event id as of it.
 */
export async function outboxPosition(
  tx: TenantTx,
  channel: EventChannel,
): Promise<{ snapshot: OutboxSnapshot; lastEventId: number }> {
  const { rows } = await tx.client.query<{ s: string; id: string | null }>(
    `SELECT pg_current_snapshot()::text AS s,
            (SELECT max(id) FROM api_events WHERE tenant_id = $1 AND channel = $2) AS id`,
    [tx.tenantId, channel],
  );
  return { snapshot: parseSnapshot(rows[0]!.s), lastEventId: Number(rows[0]!.id ?? 0) };
}

/** LISTENs on a dedicated connection; each notification is a wake-up (read what is new). */
export async function listenApiEvents(client: Client, onWake: () => void): Promise<void> {
  client.on('notification', (msg) => {
    if (msg.channel === API_EVENTS_CHANNEL) onWake();
  });
  await client.query(`LISTEN ${API_EVENTS_CHANNEL}`);
}
