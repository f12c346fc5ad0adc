/**
 * The API's event outbox: a change writes its event (api_events) and a NOTIFY on
 * qs_api_events in its own transaction (qs_publish_api_event; the orders trigger does it for
 * every ledger write), so workers never call the API and a rolled-back change announces nothing.
 * Each API node LISTENs and reads the event under the tenant's RLS before emitting it.
 */
import type { Client, Pool } from 'pg';
import { withTenant, TenantTx } from './tenant';

export const API_EVENTS_CHANNEL = 'qs_api_events';
export const EVENT_CHANNELS = ['decisions', 'orders', 'positions', 'pnl', 'trading-state', 'gates'] as const;
export type EventChannel = (typeof EVENT_CHANNELS)[number];

export interface ApiEvent {
  id: number;
  tenantId: number;
  channel: EventChannel;
  payload: unknown;
  createdAt: Date;
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

export async function apiEvent(pool: Pool, tenantId: number, id: number): Promise<ApiEvent | undefined> {
  return withTenant(pool, tenantId, async ({ client }) => {
    const { rows } = await client.query<ApiEvent & { id: string }>(
      `SELECT id, tenant_id AS "tenantId", channel, payload, created_at AS "createdAt"
         FROM api_events WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return rows[0] ? { ...rows[0], id: Number(rows[0].id) } : undefined;
  });
}

/** The newest event id of a channel: a subscriber's state is as of this id. */
export async function latestEventId(tx: TenantTx, channel: EventChannel): Promise<number> {
  const { rows } = await tx.client.query<{ id: string | null }>(
    'SELECT max(id) AS id FROM api_events WHERE tenant_id = $1 AND channel = $2',
    [tx.tenantId, channel],
  );
  return Number(rows[0].id ?? 0);
}

export interface EventNotice {
  id: number;
  tenantId: number;
  channel: EventChannel;
}

/** LISTENs on a dedicated connection; each notice names an event to read. */
export async function listenApiEvents(client: Client, onNotice: (n: EventNotice) => void): Promise<void> {
  client.on('notification', (msg) => {
    if (msg.channel !== API_EVENTS_CHANNEL || !msg.payload) return;
    try {
      const n = JSON.parse(msg.payload) as EventNotice;
      if (Number.isSafeInteger(n.id) && Number.isSafeInteger(n.tenantId)) onNotice(n);
    } catch {
      // not ours: only qs_publish_api_event notifies on this channel
    }
  });
  await client.query(`LISTEN ${API_EVENTS_CHANNEL}`);
}
