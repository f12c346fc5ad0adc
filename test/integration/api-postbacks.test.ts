/**
 * Kite postbacks reach the API over real HTTP: verified by checksum; everything else is refused
 * with a 4xx before it can reach the database wrongly, counted in a metric and never audited.
 */
import { loadConfig } from '../../runtime/config';
import { startApiServer, ApiServer } from '../../api/server';
import { createTenant } from '../../db/tenants';
import { withTenant } from '../../db/tenant';
import { postbackChecksum } from '../../broker/kite/postback';
import { saveKiteAccount } from '../../db/broker-credentials';
import { testKeys } from '../support/fake-kite';
import { testEnv, testPool } from '../support/env';

describe('POST /postbacks/kite/:tenantId', () => {
  let api: ApiServer;
  const app = testPool('app');
  let tenantId: number;
  let paperTenantId: number;

  beforeAll(async () => {
    const env = testEnv();
    const config = loadConfig({
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_NAMESPACE: env.namespace,
      QS_LOG_LEVEL: 'silent',
      QS_SESSION_SECRET: 'p'.repeat(32),
    });
    api = await startApiServer({ ...config, api: { host: '127.0.0.1', port: 0 } }, env.appUrl);
    tenantId = (await createTenant(app, { slug: `postback-${process.pid}`, name: 'Postback' })).id;
    paperTenantId = (await createTenant(app, { slug: `postback-paper-${process.pid}`, name: 'Paper only' })).id;
    await withTenant(app, tenantId, (tx) => saveKiteAccount(tx, testKeys(), { apiKey: 'k' }, 'kitesecret'));
  });
  afterAll(() => api.close());

  const post = (id: string | number, body: unknown, contentType = 'application/json') =>
    fetch(`${api.url}/postbacks/kite/${id}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const order = {
    order_id: '250000000000009',
    order_timestamp: '2026-05-06 10:01:02',
    status: 'COMPLETE',
    tag: 'QSNOTOURS',
  };
  const signed = (o: typeof order, secret = 'kitesecret') => ({
    ...o,
    checksum: postbackChecksum(o.order_id, o.order_timestamp, secret),
  });
  const rejected = async (): Promise<Record<string, number>> => {
    const text = await (await fetch(`${api.url}/metrics`)).text();
    const counts: Record<string, number> = {};
    for (const m of text.matchAll(/^qs_postbacks_rejected_total\{reason="(\w+)"\} (\d+)$/gm)) counts[m[1]] = +m[2];
    return counts;
  };
  const auditRows = async (id: number) =>
    (
      await withTenant(app, id, ({ client }) =>
        client.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1', [id]),
      )
    ).rows[0].n;

  it('accepts a postback whose checksum matches the tenant secret', async () => {
    const res = await post(tenantId, { ...signed(order), filled_quantity: 65, status_message: null, meta: {} });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true }); // not one of our orders: reconciliation records it
  });

  it('refuses a forged postback, counts it and writes nothing', async () => {
    const before = await rejected();
    const audited = await auditRows(tenantId);
    const res = await post(tenantId, signed(order, 'guessed'));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'checksum_mismatch' });
    expect((await rejected()).checksum_mismatch).toBe((before.checksum_mismatch ?? 0) + 1);
    expect(await auditRows(tenantId)).toBe(audited);
  });

  it.each(['abc', '1e3', '0x10', '2147483648', '-1', '01', '0', '+1', '1.0', '%201', '%00', '9'.repeat(30)])(
    'answers 404 for the malformed tenant id %s, before any query',
    async (id) => {
      const before = await rejected();
      const res = await post(id, signed(order));
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'not_found' });
      expect((await rejected()).malformed_tenant).toBe((before.malformed_tenant ?? 0) + 1);
    },
  );

  it('answers 404 for an unknown tenant and for a tenant without a Kite account, alike', async () => {
    const before = await rejected();
    const unknown = await post(999999, signed(order));
    const paper = await post(paperTenantId, signed(order));
    const largest = await post(2147483647, signed(order));
    for (const res of [unknown, paper, largest]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ status: 404, code: 'not_found', detail: 'no such postback endpoint' });
    }
    expect((await rejected()).no_kite_account).toBe((before.no_kite_account ?? 0) + 3);
    expect(await auditRows(paperTenantId)).toBe(1); // tenant.created only
  });

  it.each([
    ['order_id', { ...order, order_id: '2500\u00000009' }],
    ['tag', { ...order, tag: 'QS\u0000' }],
    ['status', { ...order, status: 'COMPLETE\ud800' }],
    ['order_timestamp', { ...order, order_timestamp: 12 }],
    ['order_id', { ...order, order_id: 'x'.repeat(65) }],
  ])('answers 400 naming %s when it is not storable text', async (field, body) => {
    const before = await rejected();
    const res = await post(tenantId, { ...body, checksum: 'ab'.repeat(32) });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { code: string; detail: string };
    expect(answer.code).toBe('bad_request');
    expect(answer.detail).toMatch(new RegExp(`^${field}: `));
    expect((await rejected()).invalid_body).toBe((before.invalid_body ?? 0) + 1);
  });

  it('answers 400 naming a missing checksum, and naming the body for null, arrays and scalars', async () => {
    const missing = await post(tenantId, order);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { detail: string }).detail).toMatch(/^checksum: /);
    for (const body of ['null', '[1,2]', '42', '"text"']) {
      const res = await post(tenantId, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'bad_request', errors: [{ field: 'body' }] });
    }
  });

  it('answers 400 for malformed JSON, 413 for an oversized body and 415 for another content type', async () => {
    const bad = await post(tenantId, '{"order_id": ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'bad_request', detail: 'request body is not valid JSON' });
    const huge = await post(tenantId, { ...signed(order), pad: 'x'.repeat(300_000) });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ code: 'payload_too_large' });
    const form = await post(tenantId, 'order_id=1', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ code: 'unsupported_media_type' });
    const charset = await post(tenantId, JSON.stringify(signed(order)), 'application/json; charset=latin-9');
    expect(charset.status).toBe(415);
    expect(await charset.json()).toMatchObject({ code: 'unsupported_media_type' });
  });
});
