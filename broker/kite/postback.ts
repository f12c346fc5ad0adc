/**
 * Kite postbacks: Kite POSTs an order's JSON to our URL on every status change, with
 * checksum = SHA-256(order_id + order_timestamp + api_secret). A postback is only a wake-up
 * call: after verifying it we signal the OrderPlacement workflow that owns the tag, which then
 * asks the broker for the truth (postbacks carry no trade ids and may arrive out of order).
 */
import { brokerUpdateSignal } from '../../contracts/orders';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { auditIn } from '../../db/audit';
import { withTenant } from '../../db/tenant';

export function postbackChecksum(orderId: string, orderTimestamp: string, apiSecret: string): string {
  return createHash('sha256').update(`${orderId}${orderTimestamp}${apiSecret}`, 'utf8').digest('hex');
}

export function verifyPostback(
  payload: { order_id?: unknown; order_timestamp?: unknown; checksum?: unknown },
  apiSecret: string,
): boolean {
  if (
    typeof payload.order_id !== 'string' ||
    typeof payload.order_timestamp !== 'string' ||
    typeof payload.checksum !== 'string'
  )
    return false;
  const expected = Buffer.from(postbackChecksum(payload.order_id, payload.order_timestamp, apiSecret), 'hex');
  const given = Buffer.from(payload.checksum, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface PostbackOutcome {
  status: number;
  body: { ok: boolean; error?: string; workflowId?: string };
}

/** Verify a tenant's postback and wake the workflow that owns the order. */
export async function handleKitePostback(
  deps: { pool: Pool; client: Client },
  tenantId: number,
  payload: Record<string, unknown>,
): Promise<PostbackOutcome> {
  const found = await withTenant(deps.pool, tenantId, async ({ client }) => {
    const acct = await client.query<{ api_secret: string | null }>(
      "SELECT api_secret FROM broker_accounts WHERE tenant_id = $1 AND broker = 'kite'",
      [tenantId],
    );
    const secret = acct.rows[0]?.api_secret;
    if (!secret || !verifyPostback(payload, secret)) {
      await auditIn(client, tenantId, null, 'broker.postback_rejected', {
        orderId: payload.order_id ?? null,
        reason: secret ? 'checksum mismatch' : 'no kite account',
      });
      return { verified: false as const };
    }
    const { rows } = await client.query<{ tag: string; workflow_id: string | null }>(
      'SELECT tag, workflow_id FROM orders WHERE tenant_id = $1 AND (tag = $2 OR broker_order_id = $3) ORDER BY id LIMIT 1',
      [tenantId, typeof payload.tag === 'string' ? payload.tag : '', String(payload.order_id)],
    );
    return { verified: true as const, order: rows[0] };
  });
  if (!found.verified) return { status: 401, body: { ok: false, error: 'checksum verification failed' } };
  if (!found.order?.workflow_id) return { status: 200, body: { ok: true } }; // not ours: reconciliation records it
  try {
    await deps.client.workflow.getHandle(found.order.workflow_id).signal(brokerUpdateSignal, {
      tag: found.order.tag,
      brokerOrderId: String(payload.order_id),
      status: String(payload.status ?? ''),
    });
  } catch {
    // The workflow has finished: nothing to wake; reconciliation covers what happens later.
  }
  return { status: 200, body: { ok: true, workflowId: found.order.workflow_id } };
}

/** A node:http listener for `POST /postbacks/kite/<tenantId>` (mount it in any HTTP server). */
export function kitePostbackListener(deps: { pool: Pool; client: Client }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const m = /^\/postbacks\/kite\/(\d+)$/.exec(req.url ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !m) return send(404, { ok: false, error: 'not found' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let payload: Record<string, unknown>;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(400, { ok: false, error: 'body is not JSON' });
      }
      handleKitePostback(deps, Number(m[1]), payload).then(
        (o) => send(o.status, o.body),
        (e: Error) => send(500, { ok: false, error: e.message }),
      );
    });
  };
}
