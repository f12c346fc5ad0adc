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
import { z } from 'zod';
import { kiteApiSecret, orderForPostback } from '../../db/postbacks';
import { identifierText } from '../../db/text';

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

/** Why a postback was refused: a bounded set, so it can label a metric. */
export type PostbackRejection = 'malformed_tenant' | 'invalid_body' | 'no_kite_account' | 'checksum_mismatch';

export interface PostbackOutcome {
  status: number;
  body: { ok: boolean; error?: string; message?: string; workflowId?: string };
  rejected?: PostbackRejection;
}

const INT4_MAX = 2_147_483_647;

/** A tenant id as the URL must spell it: canonical positive decimal within int4, else undefined. */
export function parseTenantId(raw: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id <= INT4_MAX ? id : undefined;
}

// Only the fields we read are checked; Kite sends many more (numbers, nulls), passed through.
const postbackBody = z.looseObject({
  order_id: identifierText(64),
  order_timestamp: identifierText(64),
  checksum: identifierText(128),
  tag: identifierText(64).nullish(),
  status: identifierText(64).nullish(),
});

const refuse = (status: number, rejected: PostbackRejection, error: string, message: string): PostbackOutcome => ({
  status,
  body: { ok: false, error, message },
  rejected,
});

/**
 * Verify a tenant's postback and wake the workflow that owns the order. Everything from the
 * wire is checked before any query; a refusal writes nothing (anyone on the internet can send
 * one), it is only counted by the caller through `rejected`.
 */
export async function handleKitePostback(
  deps: { pool: Pool; client: Client },
  rawTenantId: string,
  rawBody: unknown,
): Promise<PostbackOutcome> {
  const tenantId = parseTenantId(rawTenantId);
  if (tenantId === undefined) return refuse(404, 'malformed_tenant', 'not_found', 'no such postback endpoint');
  if (typeof rawBody !== 'object' || rawBody === null || Array.isArray(rawBody))
    return refuse(400, 'invalid_body', 'bad_request', 'the body must be a JSON object');
  const parsed = postbackBody.safeParse(rawBody);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return refuse(400, 'invalid_body', 'bad_request', message);
  }
  const payload = parsed.data;
  // Unknown tenants and tenants without Kite look the same from outside: nothing listens here.
  const secret = await kiteApiSecret(deps.pool, tenantId);
  if (!secret) return refuse(404, 'no_kite_account', 'not_found', 'no such postback endpoint');
  if (!verifyPostback(payload, secret))
    return refuse(401, 'checksum_mismatch', 'checksum_mismatch', 'checksum verification failed');
  const order = await orderForPostback(deps.pool, tenantId, {
    tag: payload.tag ?? undefined,
    brokerOrderId: payload.order_id,
  });
  if (!order?.workflowId) return { status: 200, body: { ok: true } }; // not ours: reconciliation records it
  try {
    await deps.client.workflow.getHandle(order.workflowId).signal(brokerUpdateSignal, {
      tag: order.tag,
      brokerOrderId: payload.order_id,
      status: payload.status ?? '',
    });
  } catch {
    // The workflow has finished: nothing to wake; reconciliation covers what happens later.
  }
  return { status: 200, body: { ok: true, workflowId: order.workflowId } };
}

/** A node:http listener for `POST /postbacks/kite/<tenantId>` (mount it in any HTTP server). */
export function kitePostbackListener(deps: { pool: Pool; client: Client }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const m = /^\/postbacks\/kite\/([^/?]*)$/.exec(req.url ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !m) return send(404, { ok: false, error: 'not_found' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(400, { ok: false, error: 'bad_request', message: 'the body is not valid JSON' });
      }
      handleKitePostback(deps, m[1], payload).then(
        (o) => send(o.status, o.body),
        () => send(500, { ok: false, error: 'internal_error' }),
      );
    });
  };
}
