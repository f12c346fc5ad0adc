/**
 * The Kite Connect adapter against a local fake Kite (real HTTP), alone and under the
 * OrderPlacement workflow: headers and form bodies, the error taxonomy (definite vs ambiguous),
 * account rate limits, ambiguous timeouts after which the order appears seconds later, the
 * dry-run lock, and postback checksums.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AmbiguousOutcomeError,
  BrokerAuthError,
  BrokerUnavailableError,
  OrderNotOpenError,
  OrderRejectedError,
} from '../../broker/errors';
import { KiteBroker } from '../../broker/kite/kite-broker';
import { kitePostbackListener, postbackChecksum, verifyPostback } from '../../broker/kite/postback';
import { freePort } from '../../runtime/ports';
import { testClient, testPool } from '../support/env';
import { fakeKites, kiteOrder, kiteTenant, spreadInput, spreadLegs } from '../support/fake-kite';
import { auditCount, FAST, orderWorkers, place } from '../support/orders-env';
import { maybeRecordHistory } from '../support/record-history';

const creds = { apiKey: 'kiteapikey', accessToken: 'daytoken123', apiSecret: 'kitesecret' };
const pool = testPool('app');
const fakeKite = fakeKites(creds);
const req = kiteOrder;
const legs = spreadLegs;
const input = (tenantId: number, decisionId: string) => spreadInput(tenantId, decisionId);

describe('Kite Connect adapter over real HTTP', () => {
  it(
    'speaks v3: headers, form bodies, envelope, ' + 'order history, trades, positions, margins, modify, cancel',
    async () => {
      const fake = await fakeKite();
      fake.noFill.add('RESTING1');
      const kite = new KiteBroker({ baseUrl: fake.url, apiKey: creds.apiKey, accessToken: creds.accessToken });
      const { brokerOrderId } = await kite.placeOrder(req('FILLS1'));
      const post = fake.requests.find((r) => r.method === 'POST')!;
      expect(post.headers['x-kite-version']).toBe('3');
      expect(post.headers.authorization).toBe('token kiteapikey:daytoken123');
      expect(post.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(Object.fromEntries(new URLSearchParams(post.body))).toMatchObject({
        tag: 'FILLS1',
        transaction_type: 'SELL',
        order_type: 'LIMIT',
        quantity: '65',
        price: '101.05',
        product: 'NRML',
        exchange: 'NFO',
      });
      expect(await kite.getOrder(brokerOrderId)).toMatchObject({
        brokerOrderId,
        tag: 'FILLS1',
        status: 'FILLED',
        brokerStatus: 'COMPLETE',
        filledQuantity: 65,
        averagePrice: '101.05',
      });
      expect(await kite.getOrderTrades(brokerOrderId)).toEqual([
        expect.objectContaining({ brokerOrderId, quantity: 65, price: '101.05', side: 'SELL' }),
      ]);
      expect(await kite.getPositions()).toEqual([
        { tradingsymbol: 'NIFTY2651224500PE', exchange: 'NFO', quantity: -65, averagePrice: '101.05' },
      ]);
      expect(await kite.getMargins()).toEqual({ available: '500000', used: '0', net: '500000' });

      const resting = await kite.placeOrder(req('RESTING1', { side: 'BUY' }));
      expect((await kite.findOrdersByTag('RESTING1'))[0]).toMatchObject({ status: 'ACCEPTED', brokerStatus: 'OPEN' });
      await kite.modifyOrder(resting.brokerOrderId, { price: '99.50' });
      expect((await kite.getOrder(resting.brokerOrderId)).price).toBe('99.5');
      await kite.cancelOrder(resting.brokerOrderId);
      expect(await kite.getOrder(resting.brokerOrderId)).toMatchObject({
        status: 'CANCELED',
        brokerStatus: 'CANCELLED',
        cancelledQuantity: 65,
      });
      await expect(kite.cancelOrder(brokerOrderId)).rejects.toBeInstanceOf(OrderNotOpenError);
    },
  );

  it('tells definite rejections from ambiguous outcomes', async () => {
    const fake = await fakeKite();
    const kite = new KiteBroker({
      baseUrl: fake.url,
      apiKey: creds.apiKey,
      accessToken: creds.accessToken,
      timeoutMs: 400,
    });
    fake.placeScript.push({ kind: 'error', status: 400, errorType: 'MarginException', message: 'Insufficient funds.' });
    await expect(kite.placeOrder(req('REJ1'))).rejects.toBeInstanceOf(OrderRejectedError);
    fake.placeScript.push({ kind: 'http400_timeout_then_create', createAfterMs: 50 });
    await expect(kite.placeOrder(req('AMB1'))).rejects.toBeInstanceOf(AmbiguousOutcomeError);
    fake.placeScript.push({ kind: 'hang_then_create', createAfterMs: 50 });
    await expect(kite.placeOrder(req('AMB2'))).rejects.toBeInstanceOf(AmbiguousOutcomeError);
    fake.placeScript.push({ kind: 'error', status: 503, errorType: 'NetworkException', message: 'Gateway timed out' });
    await expect(kite.placeOrder(req('AMB3'))).rejects.toBeInstanceOf(AmbiguousOutcomeError);
    await expect(
      new KiteBroker({ baseUrl: fake.url, apiKey: creds.apiKey, accessToken: 'stale' }).getOrders(),
    ).rejects.toBeInstanceOf(BrokerAuthError);
    const closed = await freePort();
    await expect(
      new KiteBroker({ baseUrl: `http://127.0.0.1:${closed}`, apiKey: 'k', accessToken: 't' }).placeOrder(req('DOWN1')),
    ).rejects.toBeInstanceOf(BrokerUnavailableError);
    // Both ambiguous orders did land: that is why nothing may be re-sent blindly.
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.ordersWithTag('AMB1')).toHaveLength(1);
    expect(fake.ordersWithTag('AMB2')).toHaveLength(1);
  });

  it('keeps to the account rate limit (10 orders/s) instead of drawing HTTP 429s', async () => {
    const fake = await fakeKite();
    const kite = new KiteBroker({ baseUrl: fake.url, apiKey: creds.apiKey, accessToken: creds.accessToken });
    const started = Date.now();
    await Promise.all(Array.from({ length: 25 }, (_, i) => kite.placeOrder(req(`RATE${i}`))));
    expect(fake.rateLimited).toBe(0);
    expect(fake.orders.size).toBe(25);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('verifies postback checksums (SHA-256 of order_id + order_timestamp + api_secret)', () => {
    const p = {
      order_id: '250000000000001',
      order_timestamp: '2026-05-06 10:01:02',
      checksum: postbackChecksum('250000000000001', '2026-05-06 10:01:02', 'kitesecret'),
    };
    expect(verifyPostback(p, 'kitesecret')).toBe(true);
    expect(verifyPostback({ ...p, order_timestamp: '2026-05-06 10:01:03' }, 'kitesecret')).toBe(false);
    expect(verifyPostback(p, 'othersecret')).toBe(false);
  });
});

describe('OrderPlacement through Kite', () => {
  it(
    'after a timed-out POST, ' + 'finds the order by tag when it appears seconds later: exactly one broker order',
    async () => {
      const fake = await fakeKite();
      const tenantId = await kiteTenant(fake, { armed: true });
      fake.placeScript.push({ kind: 'hang_then_create', createAfterMs: 2500 });
      const client = await testClient();
      const result = await orderWorkers(pool, true).run(() => place(client, input(tenantId, 'kite-hang')));
      expect(result.status).toBe('filled');
      for (const leg of result.legs) expect(fake.ordersWithTag(leg.tag)).toHaveLength(1);
      expect(fake.placeRequests).toBe(2);
      expect(await auditCount(pool, tenantId, 'order.ambiguous')).toBe(1);
      await maybeRecordHistory(client, result.workflowId, 'order-placement-kite-ambiguous');
    },
  );

  it('treats an HTTP 400 "request timed out" as ambiguous too', async () => {
    const fake = await fakeKite();
    const tenantId = await kiteTenant(fake, { armed: true });
    fake.placeScript.push({ kind: 'ok' }, { kind: 'http400_timeout_then_create', createAfterMs: 1500 });
    const client = await testClient();
    const result = await orderWorkers(pool, true).run(() => place(client, input(tenantId, 'kite-400')));
    expect(result.status).toBe('filled');
    for (const leg of result.legs) expect(fake.ordersWithTag(leg.tag)).toHaveLength(1);
    expect(fake.placeRequests).toBe(2);
  });

  it(
    'the dry-run lock refuses live orders unless the tenant is armed AND the process is live, ' + 'and audits it',
    async () => {
      const fake = await fakeKite();
      const client = await testClient();
      const unarmed = await kiteTenant(fake, { armed: false });
      const r1 = await orderWorkers(pool, true).run(() => place(client, input(unarmed, 'dry-unarmed')));
      const armed = await kiteTenant(fake, { armed: true });
      const r2 = await orderWorkers(pool, false).run(() => place(client, input(armed, 'dry-process')));
      for (const r of [r1, r2]) {
        expect(r.status).toBe('rejected');
        expect(r.legs[0]!.status).toBe('DENIED');
      }
      expect(r1.reason).toMatch(/not armed for live trading/);
      expect(r2.reason).toMatch(/QS_LIVE_TRADING=true/);
      expect(fake.placeRequests).toBe(0);
      expect(await auditCount(pool, unarmed, 'broker.dry_run_refused')).toBe(1);
      expect(await auditCount(pool, armed, 'broker.dry_run_refused')).toBe(1);
      await maybeRecordHistory(client, r1.workflowId, 'order-placement-dry-run-refused');
    },
  );

  it('postbacks with a valid checksum wake the workflow; forged ones are refused and not audited', async () => {
    const fake = await fakeKite();
    const tenantId = await kiteTenant(fake, { armed: true });
    const client = await testClient();
    const server = http.createServer(kitePostbackListener({ pool, client }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      fake.postbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/postbacks/kite/${tenantId}`;
      fake.noFill.add(legs()[1]!.tradingsymbol);
      const result = await orderWorkers(pool, true).run(() =>
        place(client, { ...input(tenantId, 'kite-postback'), options: { ...FAST, fillTimeoutMs: 1500 } }),
      );
      expect(result.status).toBe('unwound');
      expect(fake.postbacksSent.length).toBeGreaterThanOrEqual(3);
      expect(fake.postbacksSent.every((p) => p.status === 200)).toBe(true);
      const forged = await fetch(fake.postbackUrl, {
        method: 'POST',
        body: JSON.stringify({ order_id: '1', order_timestamp: '2026-05-06 10:00:00', checksum: 'ab'.repeat(32) }),
      });
      expect(forged.status).toBe(401);
      // Refusals are counted in a metric by the API, never written (an open endpoint).
      expect(await auditCount(pool, tenantId, 'broker.postback_rejected')).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
