/** @jest-environment ./ml/onnx/jest-environment.js */
/**
 * Socket.IO against two real API nodes on one Postgres, with real socket.io-client: handshake
 * authentication, tenant rooms shared across nodes (Postgres adapter), subscribe authorised on
 * every call (another tenant's channel: a denial ack, never an event), the current state first
 * and then changes from the outbox (an order written in a transaction reaches clients on either
 * node; a rolled-back one reaches nobody).
 */
import { io as connectClient, Socket } from 'socket.io-client';
import type { ApiServer } from '../../api/server';
import { issueSession } from '../../api/session';
import { tenantRoom } from '../../api/realtime';
import { createTenant } from '../../db/tenants';
import { withTenant } from '../../db/tenant';
import { setKillSwitch } from '../../db/tenant-console';
import { pruneApiEvents } from '../../db/api-events-retention';
import { EVENT_CHANNELS } from '../../db/api-events';
import { testPool } from '../support/env';
import { startTestApiServer } from '../support/api-harness';

const SECRET = 'r'.repeat(40);

interface Ack {
  ok: boolean;
  error?: string;
  state?: unknown;
  lastEventId?: number;
}
interface Event {
  id: number;
  tenantId: number;
  channel: string;
  payload: { tag: string; status: string; op: string };
}

describe('Socket.IO: tenant rooms over two API nodes, events from the Postgres outbox', () => {
  const pool = testPool('app');
  let nodes: ApiServer[];
  const sockets: Socket[] = [];
  const slugA = `rt-a-${process.pid}`;
  const slugB = `rt-b-${process.pid}`;
  let tenantA: number;
  let tenantB: number;
  let orderN = 0;

  beforeAll(async () => {
    nodes = await Promise.all([startTestApiServer(SECRET), startTestApiServer(SECRET)]);
    tenantA = (await createTenant(pool, { slug: slugA, name: 'Realtime A' })).id;
    tenantB = (await createTenant(pool, { slug: slugB, name: 'Realtime B' })).id;
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(nodes.map((n) => n.close()));
  });

  const connect = (node: number, auth: Record<string, unknown>): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const s = connectClient(nodes[node].url, { auth, transports: ['websocket'], reconnection: false });
      sockets.push(s);
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
  const as = (tenantId: number, role = 'trader') => ({ token: issueSession(SECRET, { userId: 1, tenantId, role }) });
  const subscribe = (s: Socket, body: unknown) => s.timeout(5000).emitWithAck('subscribe', body) as Promise<Ack>;
  const collect = (s: Socket) => {
    const got: Event[] = [];
    s.on('event', (e: Event) => got.push(e));
    return got;
  };
  const insertOrder = (tenantId: number, opts: { rollback?: boolean } = {}) => {
    const tag = `RT${process.pid}N${++orderN}`;
    return withTenant(pool, tenantId, async ({ client }) => {
      await client.query(
        `INSERT INTO orders (tenant_id, tag, broker, instrument, tradingsymbol, side, quantity, order_type, status)
         VALUES ($1, $2, 'paper', 'NIFTY', 'NIFTY26MAY24000CE', 'BUY', 65, 'MARKET', 'OPEN')`,
        [tenantId, tag],
      );
      if (opts.rollback) throw new Error('rolled back on purpose');
      return tag;
    }).catch((e: Error) => (opts.rollback ? tag : Promise.reject(e)));
  };
  const until = async (cond: () => boolean, ms = 5000, probe?: () => Promise<void>) => {
    const end = Date.now() + ms;
    for (await probe?.(); !cond(); await probe?.()) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('refuses a handshake without a valid session', async () => {
    await expect(connect(0, {})).rejects.toThrow('unauthenticated');
    await expect(connect(1, { token: 'forged.token' })).rejects.toThrow('unauthenticated');
  });

  it("an order written on tenant A reaches A's subscribers on both nodes, and never tenant B", async () => {
    const a0 = await connect(0, as(tenantA));
    const a1 = await connect(1, as(tenantA));
    const b1 = await connect(1, as(tenantB));
    const [got0, got1, gotB] = [collect(a0), collect(a1), collect(b1)];
    for (const s of [a0, a1]) expect(await subscribe(s, { channel: 'orders' })).toMatchObject({ ok: true, state: [] });
    // B asks for A's channel by slug, and for a tenant that does not exist: the same denial.
    const denied = await subscribe(b1, { channel: 'orders', tenant: slugA });
    expect(denied).toEqual({ ok: false, error: 'forbidden', message: 'not your tenant' });
    expect(await subscribe(b1, { channel: 'orders', tenant: `nope-${process.pid}` })).toEqual(denied);
    expect(await subscribe(b1, { channel: 'orders' })).toMatchObject({ ok: true });
    expect(await subscribe(b1, { channel: 'secrets' })).toMatchObject({ ok: false, error: 'bad_request' });

    // Rooms span nodes through the Postgres adapter: node 0 sees node 1's sockets in A's room.
    // (Nodes find each other by the adapter's heartbeat, within seconds of starting.)
    let inRoom = 0;
    await until(
      () => inRoom === 2,
      15_000,
      async () => {
        inRoom = (await nodes[0].io.in(tenantRoom(tenantA)).fetchSockets()).length;
      },
    );

    const tag = await insertOrder(tenantA);
    await until(() => got0.length === 1 && got1.length === 1);
    for (const got of [got0, got1])
      expect(got[0]).toMatchObject({
        tenantId: tenantA,
        channel: 'orders',
        payload: { tag, op: 'insert', status: 'OPEN' },
      });
    await insertOrder(tenantA, { rollback: true });
    await new Promise((r) => setTimeout(r, 500));
    expect(gotB).toEqual([]);
    expect(got0.length).toBe(1);
  });

  it(
    'a subscriber gets the current state first, ' + 'then only newer changes; a platform operator may watch any tenant',
    async () => {
      const tag = await insertOrder(tenantB);
      const s = await connect(0, as(0, 'operator'));
      const order: string[] = [];
      const got = collect(s);
      s.on('event', () => order.push('event'));
      const ack = await subscribe(s, { channel: 'orders', tenant: slugB });
      order.push('ack');
      expect(ack.ok).toBe(true);
      expect((ack.state as Array<{ tag: string }>).map((o) => o.tag)).toContain(tag);
      await withTenant(pool, tenantB, ({ client }) =>
        client.query("UPDATE orders SET status = 'FILLED', filled_quantity = 65 WHERE tag = $1", [tag]),
      );
      await until(() => got.length === 1);
      expect(order).toEqual(['ack', 'event']);
      expect(got[0].id).toBeGreaterThan(ack.lastEventId!);
      expect(got[0].payload).toMatchObject({ tag, op: 'update', status: 'FILLED' });
    },
  );

  it('kill switches reach trading-state subscribers and positions reach positions subscribers', async () => {
    const s = await connect(1, as(tenantA));
    const got = collect(s);
    const state = await subscribe(s, { channel: 'trading-state' });
    expect(state).toMatchObject({ ok: true, state: { killSwitches: [] } });
    expect(await subscribe(s, { channel: 'positions' })).toMatchObject({ ok: true, state: [] });
    await withTenant(pool, tenantA, (tx) =>
      setKillSwitch(tx, { scope: 'tenant', target: '*', active: true, reason: 'storm', userId: 1 }),
    );
    await withTenant(pool, tenantA, ({ client }) =>
      client.query(
        `INSERT INTO positions (tenant_id, tradingsymbol, instrument, quantity, average_price)
         VALUES ($1, 'NIFTY26MAY24000CE', 'NIFTY', -65, 101.5)`,
        [tenantA],
      ),
    );
    await until(() => got.length === 2);
    expect(got.map((e) => [e.channel, e.payload])).toEqual([
      ['trading-state', expect.objectContaining({ kind: 'kill_switch', active: true, reason: 'storm' })],
      ['positions', expect.objectContaining({ op: 'insert', tradingsymbol: 'NIFTY26MAY24000CE', quantity: -65 })],
    ]);
  });

  it('every channel can be subscribed to: its state is read on one read-only snapshot', async () => {
    const s = await connect(1, as(tenantA));
    for (const channel of EVENT_CHANNELS) expect(await subscribe(s, { channel })).toMatchObject({ ok: true, channel });
  });

  it('events reach subscribers in commit order, whatever order their ids were drawn in', async () => {
    const s = await connect(0, as(tenantA));
    const got = collect(s);
    expect(await subscribe(s, { channel: 'pnl' })).toMatchObject({ ok: true });
    // T1 draws the lower id and commits last: a reader that followed ids would have skipped it.
    const t1 = await pool.connect();
    try {
      await t1.query(`BEGIN; SELECT set_config('app.tenant_id', '${tenantA}', true)`);
      await t1.query(`SELECT qs_publish_api_event($1, 'pnl', '{"n":1}')`, [tenantA]);
      await withTenant(pool, tenantA, ({ client }) =>
        client.query(`SELECT qs_publish_api_event($1, 'pnl', '{"n":2}')`, [tenantA]),
      );
      await until(() => got.length === 1);
      await t1.query('COMMIT'); // no wake-up after it: the node's periodic read finds it
    } finally {
      t1.release();
    }
    await until(() => got.length === 2, 5000);
    expect(got.map((e) => (e.payload as unknown as { n: number }).n)).toEqual([2, 1]);
    expect(got[1].id).toBeLessThan(got[0].id);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(got).toHaveLength(2); // each once
  });

  it('a subscriber whose state was read while a change was uncommitted gets that change once it commits', async () => {
    const open = await pool.connect();
    try {
      await open.query(`BEGIN; SELECT set_config('app.tenant_id', '${tenantB}', true)`);
      await open.query(
        `INSERT INTO kill_switches (tenant_id, scope, target, active, reason)
         VALUES ($1, 'tenant', '*', true, 'pending')`,
        [tenantB],
      );
      const s = await connect(1, as(tenantB));
      const got = collect(s);
      const ack = await subscribe(s, { channel: 'trading-state' });
      expect(ack).toMatchObject({ ok: true, state: { killSwitches: [] } });
      await open.query('COMMIT');
      await until(() => got.length === 1);
      expect(got[0].payload).toMatchObject({ kind: 'kill_switch', active: true, reason: 'pending' });
    } finally {
      open.release();
    }
  });

  it('events past the retention are pruned, tenant by tenant; newer ones stay', async () => {
    const ids = await withTenant(pool, tenantB, async ({ client }) => {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO api_events (tenant_id, channel, payload, created_at)
         VALUES ($1, 'pnl', '{"old":true}', now() - interval '100 hours'), ($1, 'pnl', '{"old":false}', now())
         RETURNING id`,
        [tenantB],
      );
      return rows.map((r) => r.id);
    });
    expect(await pruneApiEvents(pool, 72)).toBeGreaterThanOrEqual(1);
    const left = await withTenant(pool, tenantB, ({ client }) =>
      client.query<{ id: string }>('SELECT id FROM api_events WHERE tenant_id = $1 AND id = ANY($2)', [tenantB, ids]),
    );
    expect(left.rows.map((r) => r.id)).toEqual([ids[1]]);
  });
});
