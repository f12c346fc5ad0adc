/** Kite postbacks reach the API over real HTTP: verified by checksum, refused and audited otherwise. */
import { loadConfig } from '../../runtime/config';
import { startApiServer, ApiServer } from '../../api/server';
import { createTenant } from '../../db/tenants';
import { withTenant } from '../../db/tenant';
import { postbackChecksum } from '../../broker/kite/postback';
import { testEnv, testPool } from '../support/env';

describe('POST /postbacks/kite/:tenantId', () => {
  let api: ApiServer;
  const app = testPool('app');
  let tenantId: number;

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
    await withTenant(app, tenantId, ({ client }) =>
      client.query(
        "INSERT INTO broker_accounts (tenant_id, broker, settings, access_token, api_secret) VALUES ($1, 'kite', '{}', 'tok', 'kitesecret')",
        [tenantId],
      ),
    );
  });
  afterAll(() => api.close());

  const post = (id: string | number, body: unknown) =>
    fetch(`${api.url}/postbacks/kite/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const order = {
    order_id: '250000000000009',
    order_timestamp: '2026-05-06 10:01:02',
    status: 'COMPLETE',
    tag: 'QSNOTOURS',
  };

  it('accepts a postback whose checksum matches the tenant secret', async () => {
    const res = await post(tenantId, {
      ...order,
      checksum: postbackChecksum(order.order_id, order.order_timestamp, 'kitesecret'),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true }); // not one of our orders: reconciliation records it
  });

  it('refuses a forged postback and audits the refusal', async () => {
    const res = await post(tenantId, {
      ...order,
      checksum: postbackChecksum(order.order_id, order.order_timestamp, 'guessed'),
    });
    expect(res.status).toBe(401);
    const { rows } = await withTenant(app, tenantId, ({ client }) =>
      client.query("SELECT payload FROM audit_log WHERE event_type = 'broker.postback_rejected'"),
    );
    expect(rows).toEqual([{ payload: { orderId: order.order_id, reason: 'checksum mismatch' } }]);
  });

  it('answers 404 for a malformed tenant and 400 for a non-object body', async () => {
    expect((await post('abc', order)).status).toBe(404);
    expect((await post(tenantId, [1, 2])).status).toBe(400);
  });
});
