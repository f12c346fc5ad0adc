/**
 * What India's 2026 retail-algo rules and Kite's own behaviour ask of every order, against the
 * strict fake Kite (real HTTP) and a real Postgres: market protection on every MARKET order
 * (the saga's unwinds included) and LIMIT→MARKET modify, the tenant's algo id, our tag found in
 * `tags[]` when Kite's `mktp` takes `tag`, a cancel refused as "being processed" retried until
 * it lands, the refusals that are definite (unknown symbol, PermissionException, not whole lots)
 * versus the ambiguous non-JSON 2xx, and the account's order limits shared through Postgres by
 * two limiter instances (two processes' worth): never more than 10 in any second at the fake,
 * an order counting until its answer.
 */
import { AmbiguousOutcomeError, OrderBusyError, OrderRejectedError, BrokerUnavailableError } from '../../broker/errors';
import { KiteBroker, type KiteSettings } from '../../broker/kite/kite-broker';
import {
  DailyOrderCapError,
  KITE_READ_LIMITS,
  SharedAccountLimiter,
  SlidingWindowLimiter,
} from '../../broker/rate-limiter';
import { formatTradingsymbol } from '../../broker/tradingsymbol';
import type { PlaceOrderRequest } from '../../broker/port';
import { testClient, testPool } from '../support/env';
import {
  type FakeKite,
  fakeKites,
  kiteOrder,
  kiteTenant,
  MARKET_PROTECTION_REQUIRED,
  spreadInput,
  spreadLegs,
} from '../support/fake-kite';
import { FAST, orderWorkers, place } from '../support/orders-env';

const creds = { apiKey: 'ruleskey', accessToken: 'rulestoken', apiSecret: 'rulessecret' };
const pool = testPool('app');
const fakeKite = fakeKites(creds);

const direct = (fake: FakeKite, over: Partial<KiteSettings> = {}) =>
  new KiteBroker({ baseUrl: fake.url, apiKey: creds.apiKey, accessToken: fake.accessToken, ...over });

const SYMBOL = formatTradingsymbol({ instrument: 'NIFTY', expiry: '2026-05-12', strike: 24500, type: 'put' });
const req = (tag: string, over: Partial<PlaceOrderRequest> = {}) =>
  kiteOrder(tag, { side: 'BUY', price: '90.10', ...over });
const legs = spreadLegs;
const input = (tenantId: number, decisionId: string, fillTimeoutMs: number) =>
  spreadInput(tenantId, decisionId, { ...FAST, fillTimeoutMs });
const armedKiteTenant = (fake: FakeKite, settings: { algoId?: string } = {}) =>
  kiteTenant(fake, { armed: true, timeoutMs: 2000, settleMs: 3000, ...settings });

describe('orders under the 2026 retail-algo rules', () => {
  it('sends market protection on MARKET orders and LIMIT→MARKET modifies; the fake refuses one without', async () => {
    const fake = await fakeKite();
    // The fake is as strict as Kite: a bare API market order is refused with Kite's message.
    const bare = await fetch(`${fake.url}/orders/regular`, {
      method: 'POST',
      headers: {
        'X-Kite-Version': '3',
        Authorization: `token ${creds.apiKey}:${fake.accessToken}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        exchange: 'NFO',
        tradingsymbol: SYMBOL,
        transaction_type: 'BUY',
        order_type: 'MARKET',
        quantity: '65',
        product: 'NRML',
      }).toString(),
    });
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as { message: string }).message).toBe(MARKET_PROTECTION_REQUIRED);

    const kite = direct(fake, { marketProtection: 2.5 });
    const { brokerOrderId } = await kite.placeOrder(req('MKT1', { orderType: 'MARKET', price: undefined }));
    expect(fake.placements().at(-1)!.form).toMatchObject({ order_type: 'MARKET', market_protection: '2.5' });
    expect(fake.placements().at(-1)!.form.price).toBeUndefined();
    // Kite keeps it as a protected LIMIT and puts `mktp` in `tag`: ours is found in tags[].
    const stored = fake.orders.get(brokerOrderId)!;
    expect(stored).toMatchObject({ order_type: 'LIMIT', tag: 'mktp', tags: ['mktp', 'MKT1'] });
    const found = await kite.findOrdersByTag('MKT1');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ brokerOrderId, tag: 'MKT1', orderType: 'MARKET' });
    expect((await kite.getOrder(brokerOrderId)).tag).toBe('MKT1');

    fake.noFill.add('REST1');
    const resting = await kite.placeOrder(req('REST1'));
    await kite.modifyOrder(resting.brokerOrderId, { orderType: 'MARKET' });
    const modify = fake.requests.filter((r) => r.method === 'PUT').at(-1)!;
    expect(modify.form).toMatchObject({ order_type: 'MARKET', market_protection: '2.5' });
    expect(fake.orders.get(resting.brokerOrderId)!.tags).toEqual(['mktp', 'REST1']);
    expect(() => direct(fake, { marketProtection: 0 })).toThrow(OrderRejectedError);
    expect(() => direct(fake, { marketProtection: 101 })).toThrow(/-1 \(automatic\) or a percentage/);
  });

  it('an unwind (MARKET orders) goes out protected, with the algo id, and completes through mktp tags', async () => {
    const fake = await fakeKite();
    const tenantId = await armedKiteTenant(fake, { algoId: 'NSEALGO42' });
    fake.noFill.add(legs()[1]!.tradingsymbol);
    const client = await testClient();
    const result = await orderWorkers(pool, true).run(() => place(client, input(tenantId, 'rules-unwind', 1500)));
    expect(result.status).toBe('unwound');
    const markets = fake.placements().filter((r) => r.form.order_type === 'MARKET');
    expect(markets.length).toBeGreaterThanOrEqual(1);
    for (const r of markets) expect(r.form.market_protection).toBe('-1');
    for (const r of fake.placements()) expect(r.form.algo_id).toBe('NSEALGO42');
    // Every unwind order carries our tag only in tags[] (Kite's mktp holds `tag`) and filled once.
    for (const r of markets) {
      const [o, ...dupes] = fake.ordersWithTag(r.form.tag!);
      expect(dupes).toHaveLength(0);
      expect(o).toMatchObject({ tag: 'mktp', status: 'COMPLETE' });
    }
    expect(fake.maxPlacementsPerSecond()).toBeLessThanOrEqual(10);
  });

  it(
    'a cancel refused as "being processed" is retried, ' + 'not read as "no longer open"; the unwind completes',
    async () => {
      const fake = await fakeKite();
      fake.processingMs = 4000;
      const kite = direct(fake);
      fake.noFill.add('BUSY1');
      const { brokerOrderId } = await kite.placeOrder(req('BUSY1'));
      await expect(kite.cancelOrder(brokerOrderId)).rejects.toBeInstanceOf(OrderBusyError);
      await expect(kite.cancelOrder(brokerOrderId)).rejects.toBeInstanceOf(BrokerUnavailableError);
      expect(fake.orders.get(brokerOrderId)!.status).toBe('OPEN');

      // Through the workflow: the resting leg's cancel lands inside the window, is refused, retried.
      const tenantId = await armedKiteTenant(fake);
      fake.noFill.add(legs()[1]!.tradingsymbol);
      const client = await testClient();
      const result = await orderWorkers(pool, true).run(() => place(client, input(tenantId, 'rules-busy', 1000)));
      expect(result.status).toBe('unwound');
      const resting = [...fake.orders.values()].find(
        (o) => o.tradingsymbol === legs()[1]!.tradingsymbol && o.tags.some((t) => result.legs.some((l) => l.tag === t)),
      )!;
      expect(resting.status).toBe('CANCELLED');
      const cancels = fake.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/${resting.order_id}`));
      expect(cancels.length).toBeGreaterThanOrEqual(2); // refused as "being processed", then the one that landed
      expect(cancels.at(-1)!.at - cancels[0]!.at).toBeGreaterThan(0);
    },
  );

  it('tells definite refusals from ambiguous answers the way Kite means them', async () => {
    const fake = await fakeKite();
    const kite = direct(fake);
    // A symbol not in today's NFO list: refused before sending.
    const before = fake.placements().length;
    const unlisted = formatTradingsymbol({ instrument: 'NIFTY', expiry: '2026-05-12', strike: 24510, type: 'put' });
    await expect(kite.placeOrder(req('NOSYM1', { tradingsymbol: unlisted }))).rejects.toThrow(
      /not in today's NFO instrument list/,
    );
    await expect(kite.placeOrder(req('LOTS1', { quantity: 60 }))).rejects.toThrow(/whole number of lots of 65/);
    expect(fake.placements().length).toBe(before);
    // Kite's own "does not exist" on a place names the instrument: a rejection, not "order not found".
    const unchecked = direct(fake, { checkInstruments: false });
    await expect(unchecked.placeOrder(req('NOSYM2', { tradingsymbol: unlisted }))).rejects.toBeInstanceOf(
      OrderRejectedError,
    );
    fake.placeScript.push({ kind: 'error', status: 403, errorType: 'PermissionException', message: 'IP not allowed.' });
    const perm = kite.placeOrder(req('PERM1'));
    await expect(perm).rejects.toBeInstanceOf(OrderRejectedError);
    // A 2xx that is not the envelope: the order may exist (here it does), so it is ambiguous.
    fake.placeScript.push({ kind: 'non_json_2xx' });
    await expect(kite.placeOrder(req('HTML1'))).rejects.toBeInstanceOf(AmbiguousOutcomeError);
    expect(fake.ordersWithTag('HTML1')).toHaveLength(1);
  });

  /** 30 orders through two limiter instances on one account (two processes' worth, through Postgres). */
  async function burstOf30(fake: FakeKite, fetchImpl?: typeof fetch): Promise<number> {
    const account = `kite:${fake.userId}`;
    const brokers = [0, 1].map(
      () =>
        new KiteBroker(
          { baseUrl: fake.url, apiKey: creds.apiKey, accessToken: fake.accessToken },
          {
            orders: new SharedAccountLimiter(pool, account),
            reads: new SlidingWindowLimiter(KITE_READ_LIMITS, Date.now, undefined, 150),
          },
          fetchImpl,
        ),
    );
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => brokers[i % 2]!.placeOrder(req(`BURST${i}`, { side: 'SELL' }))),
    );
    const elapsed = Date.now() - started;
    expect(fake.rateLimited).toBe(0);
    expect(fake.placements()).toHaveLength(30);
    expect(fake.maxPlacementsPerSecond()).toBeLessThanOrEqual(10);
    expect(elapsed).toBeGreaterThanOrEqual(2000); // 30 orders at 10/s: three one-second windows
    return elapsed;
  }

  it('two limiter instances on one account (Postgres) keep 30 orders to ≤ 10 in any second at the fake', async () => {
    const fake = await fakeKite();
    const elapsed = await burstOf30(fake);
    console.log(
      `30 orders via 2 limiters: ${elapsed} ms, max ${fake.maxPlacementsPerSecond()} in any second at the fake`,
    );
  });

  it("…also when the first second's orders leave 600 ms after their slots (a stalled process)", async () => {
    // Stamped on time, arriving late: a fixed margin past the window (300 ms before) let the next
    // second's orders in beside them at the fake. Counting each order until its answer does not.
    const fake = await fakeKite();
    let posts = 0;
    const late: typeof fetch = async (url, init) => {
      if (init?.method === 'POST' && posts++ < 10) await new Promise((r) => setTimeout(r, 600));
      return fetch(url, init);
    };
    const elapsed = await burstOf30(fake, late);
    console.log(`30 late orders via 2 limiters: ${elapsed} ms, max ${fake.maxPlacementsPerSecond()} at the fake`);
  });

  it('counts an order in flight on one process against the account on every process until its answer', async () => {
    const account = `kite:flight-${process.pid}-${Date.now()}`;
    const oneIn500 = [{ max: 1, windowMs: 500 }];
    const [a, b] = [0, 1].map(() => new SharedAccountLimiter(pool, account, oneIn500, 100, 0));
    const release = await a.acquire(10_000);
    let bAt = 0;
    const bTurn = b!.acquire().then((r) => ((bAt = Date.now()), r));
    // Three windows later the first order is still unanswered: it may reach the broker now.
    await new Promise((r) => setTimeout(r, 1500));
    expect(bAt).toBe(0);
    const answeredAt = Date.now();
    await release();
    await (
      await bTurn
    )();
    // The window runs from the answer, not from when the first order was stamped.
    expect(bAt - answeredAt).toBeGreaterThanOrEqual(490);
  });

  it('refuses past the daily cap instead of waiting', async () => {
    const account = `kite:cap-${process.pid}-${Date.now()}`;
    const a = new SharedAccountLimiter(pool, account, [{ max: 10, windowMs: 1000 }], 3);
    const b = new SharedAccountLimiter(pool, account, [{ max: 10, windowMs: 1000 }], 3);
    await a.acquire();
    await b.acquire();
    await a.acquire();
    await expect(b.acquire()).rejects.toBeInstanceOf(DailyOrderCapError);
    await expect(a.acquire()).rejects.toThrow(/daily order cap \(3\)/);
  });
});
