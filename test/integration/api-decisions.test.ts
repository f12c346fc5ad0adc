/** @jest-environment ./ml/onnx/jest-environment.js */
/**
 * Decisions through the real API server (startApiServer: Express, Socket.IO, its own hot-swapping
 * ModelCache) on the run's Postgres: decide on demand, idempotent on the client's key; the list
 * by date, outcome and cursor; one decision's why and provenance chain (trade → orders → fills);
 * garbage answered as problem+json naming the field; another tenant gets nothing, over HTTP and
 * over Socket.IO, where a new decision arrives as an event on its tenant's `decisions` channel.
 */
import { io as connectClient, Socket } from 'socket.io-client';
import type { ApiServer } from '../../api/server';
import { issueSession } from '../../api/session';
import { createTenant } from '../../db/tenants';
import { withTenant } from '../../db/tenant';
import { isMarketOpen } from '../../domain/calendar';
import { ModelRegistry } from '../../ml/registry';
import { trainOnDataVersion } from '../../ml/trainers';
import type { ModelTypeId } from '../../ml/model-types';
import { testPool } from '../support/env';
import { startTestApiServer } from '../support/api-harness';
import { until } from '../support/until';

jest.setTimeout(900_000);

const SECRET = 'd'.repeat(40);
const AT = '2026-03-10T11:00:00+05:30';

interface DecisionBody {
  created: boolean;
  decision: { decisionId: string; status: string; instrument: string; gates: Array<{ wall: string }> };
}
interface Problem {
  status: number;
  code: string;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
}

describe('API decisions: decide, list, why and provenance, events', () => {
  const pool = testPool('app');
  let api: ApiServer;
  const sockets: Socket[] = [];
  let tenantA: number;
  let tenantB: number;
  const slugA = `dec-a-${process.pid}`;
  const slugB = `dec-b-${process.pid}`;
  const tokenA = () => issueSession(SECRET, { userId: 1, tenantId: tenantA, role: 'trader' });
  const tokenB = () => issueSession(SECRET, { userId: 1, tenantId: tenantB, role: 'admin' });

  beforeAll(async () => {
    // decide needs a production signal_stack and strategy_agents: trained only when no other file
    // of the run has saved them (training is most of this file's time when it runs first).
    const registry = new ModelRegistry(pool, { actor: 'api-decisions-test' });
    for (const typeId of ['signal_stack', 'strategy_agents'] as ModelTypeId[])
      if (!(await registry.loadProduction(typeId, null))) {
        const { run, metadata } = await trainOnDataVersion(typeId, '2026-03-06');
        await registry.saveModel({ scope: 'global', artifact: run.artifact, metadata });
      }
    tenantA = (await createTenant(pool, { slug: slugA, name: 'Decisions A' })).id;
    tenantB = (await createTenant(pool, { slug: slugB, name: 'Decisions B' })).id;
    api = await startTestApiServer(SECRET);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await api?.close();
  });

  const call = (path: string, token: string, body?: unknown) =>
    fetch(`${api.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const decide = (body: unknown, token = tokenA(), slug = slugA) => call(`/t/${slug}/api/v1/decisions`, token, body);
  const connect = (token: string): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const s = connectClient(api.url, { auth: { token }, transports: ['websocket'], reconnection: false });
      sockets.push(s);
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });

  it('decides on demand, once per key: a repeat is 200 with the stored decision, another request 409', async () => {
    const socketA = await connect(tokenA());
    const socketB = await connect(tokenB());
    const events: Array<{ channel: string; payload: { decisionId: string } }> = [];
    const leaked: unknown[] = [];
    socketA.on('event', (e: (typeof events)[number]) => events.push(e));
    socketB.on('event', (e: unknown) => leaked.push(e));
    expect(await socketA.timeout(5000).emitWithAck('subscribe', { channel: 'decisions' })).toMatchObject({
      ok: true,
      state: [],
    });
    expect(await socketB.timeout(5000).emitWithAck('subscribe', { channel: 'decisions' })).toMatchObject({ ok: true });
    expect(await socketB.timeout(5000).emitWithAck('subscribe', { channel: 'decisions', tenant: slugA })).toEqual({
      ok: false,
      error: 'forbidden',
      message: 'not your tenant',
    });

    const first = await decide({ key: 'k1', at: AT, seed: 3 });
    expect(first.status).toBe(201);
    const made = (await first.json()) as DecisionBody;
    expect(made.created).toBe(true);
    expect(made.decision.decisionId).toBe('api:k1');
    expect(['trade', 'abstain', 'refused']).toContain(made.decision.status);
    const again = await decide({ key: 'k1', at: AT, seed: 3 });
    expect(again.status).toBe(200);
    expect(((await again.json()) as DecisionBody).decision).toEqual(made.decision);
    const reused = await decide({ key: 'k1', at: AT, instrument: 'BANKNIFTY' });
    expect(reused.status).toBe(409);
    expect(((await reused.json()) as Problem).code).toBe('key_reused');

    // The new decision reached A's subscriber once (the repeat wrote nothing), never B's.
    await until('the decision event', async () => events.find((e) => e.payload.decisionId === 'api:k1'));
    await new Promise((r) => setTimeout(r, 200));
    expect(events.filter((e) => e.channel === 'decisions').map((e) => e.payload.decisionId)).toEqual(['api:k1']);
    expect(leaked).toEqual([]);
    // The same key in another tenant is another decision.
    expect((await decide({ key: 'k1', at: AT, seed: 3 }, tokenB(), slugB)).status).toBe(201);
  });

  it('answers garbage with problem+json naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'body.key'],
      [{ key: 'has space', at: AT }, 'body.key'],
      [{ key: 'ok', at: '2026-03-10T03:00:00+05:30' }, 'body.at'],
      [{ key: 'ok', at: 'yesterday' }, 'body.at'],
      [{ key: 'ok', at: AT, seed: -1 }, 'body.seed'],
      [{ key: 'ok', at: AT, instrument: 'SENSEX' }, 'body.instrument'],
      [{ key: 'ok', at: AT, extra: 1 }, 'body'],
      [{ key: 'x'.repeat(65), at: AT }, 'body.key'],
    ];
    for (const [body, field] of cases) {
      const res = await decide(body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as Problem).errors?.map((e) => e.field)).toContain(field);
    }
    expect((await decide('{"key":')).status).toBe(400);
    if (!isMarketOpen(Date.now())) {
      const closed = await decide({ key: 'now' });
      expect(closed.status).toBe(409);
      expect(((await closed.json()) as Problem).code).toBe('market_closed');
    }
    // Nothing of that was decided.
    const n = await withTenant(pool, tenantA, (tx) =>
      tx.client.query<{ n: number }>("SELECT count(*)::int AS n FROM decisions WHERE id <> 'api:k1'"),
    );
    expect(n.rows[0].n).toBe(0);
  });

  it('lists newest first, filters by date and outcome, pages by cursor; bad filters are 400', async () => {
    for (let seed = 10; seed < 15; seed++)
      expect((await decide({ key: `list-${seed}`, at: AT, seed })).status).toBe(201);
    expect((await decide({ key: 'other-day', at: '2026-03-11T11:00:00+05:30' })).status).toBe(201);
    const list = async (query: string, token = tokenA(), slug = slugA) => {
      const res = await call(`/t/${slug}/api/v1/decisions${query}`, token);
      expect([query, res.status]).toEqual([query, 200]);
      return (await res.json()) as {
        decisions: Array<{ id: string; status: string; tradingDate: string }>;
        next: string | null;
      };
    };
    const all = await list('');
    expect(all.decisions.map((d) => d.id)).toEqual([
      'api:other-day',
      'api:list-14',
      'api:list-13',
      'api:list-12',
      'api:list-11',
      'api:list-10',
      'api:k1',
    ]);
    expect(all.next).toBeNull();
    // Pages of two, following next, give the same rows in the same order.
    const paged: string[] = [];
    for (let cursor: string | null = ''; cursor !== null;) {
      const page = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.decisions.map((d) => d.id));
      cursor = page.next;
    }
    expect(paged).toEqual(all.decisions.map((d) => d.id));
    expect((await list('?from=2026-03-11')).decisions.map((d) => d.id)).toEqual(['api:other-day']);
    expect((await list('?to=2026-03-10')).decisions).toHaveLength(6);
    for (const outcome of ['trade', 'abstain', 'refused']) {
      const got = await list(`?outcome=${outcome}`);
      expect(got.decisions.every((d) => d.status === outcome)).toBe(true);
      expect(got.decisions.length).toBe(all.decisions.filter((d) => d.status === outcome).length);
    }
    for (const [query, field] of [
      ['?outcome=won', 'query.outcome'],
      ['?from=2026-13-01', 'query.from'],
      ['?from=2026-03-12&to=2026-03-10', 'query.from'],
      ['?cursor=garbage', 'query.cursor'],
      ['?limit=0', 'query.limit'],
      ['?sort=asc', 'query'],
    ]) {
      const res = await call(`/t/${slugA}/api/v1/decisions${query}`, tokenA());
      expect([query, res.status]).toEqual([query, 400]);
      expect(((await res.json()) as Problem).errors?.map((e) => e.field)).toContain(field);
    }
    // B sees only its own decision, and A's slug is a 404 for B.
    expect((await list('', tokenB(), slugB)).decisions.map((d) => d.id)).toEqual(['api:k1']);
    expect((await call(`/t/${slugA}/api/v1/decisions`, tokenB())).status).toBe(404);
  });

  it("one decision: its whole why and the provenance chain; another tenant's id is a 404", async () => {
    // A trade of the decision with one leg and one fill, as OrderPlacement writes them.
    const tag = `DEC${process.pid}L0`;
    await withTenant(pool, tenantA, async ({ client }) => {
      await client.query(
        `INSERT INTO orders (tenant_id, tag, decision_id, leg_index, broker, instrument, tradingsymbol, side, quantity,
                             order_type, status, filled_quantity, average_price, workflow_id, run_id)
         VALUES ($1, $2, 'api:k1', 0, 'paper', 'NIFTY', 'NIFTY26MAR24000CE', 'SELL', 65, 'MARKET', 'COMPLETE', 65,
                 101.5, 'order/x/api:k1', 'run-1')`,
        [tenantA, tag],
      );
      await client.query(
        `INSERT INTO fills (tenant_id, id, order_tag, quantity, price, filled_at)
         VALUES ($1, $2, $3, 65, 101.5, now())`,
        [tenantA, `fill-${tag}`, tag],
      );
      await client.query(
        `INSERT INTO trades (tenant_id, id, decision_id, workflow_id, run_id, structure, instrument, status, leg_tags,
                             total_costs)
         VALUES ($1, 'trade-api-k1', 'api:k1', 'order/x/api:k1', 'run-1', 'SHORT_STRADDLE', 'NIFTY', 'filled',
                 $2::jsonb, 42.17)`,
        [tenantA, JSON.stringify([tag])],
      );
    });
    const res = await call(`/t/${slugA}/api/v1/decisions/api:k1`, tokenA());
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      decision: Record<string, unknown> & { gates: unknown[]; models: Array<{ sha256: string }> };
      provenance: { trades: Array<{ tradeId: string; costs: { total: string }; legs: Array<{ fills: unknown[] }> }> };
    };
    expect(body.decision).toMatchObject({ decisionId: 'api:k1', workflowId: 'api:user/1', runId: 'api:k1' });
    for (const key of ['factors', 'signals', 'combiner', 'candidates', 'reasons', 'snapshotId', 'regime'])
      expect(body.decision).toHaveProperty(key);
    for (const m of body.decision.models) expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(body.provenance.trades).toHaveLength(1);
    expect(body.provenance.trades[0]).toMatchObject({ tradeId: 'trade-api-k1', costs: { total: '42.17' } });
    expect(body.provenance.trades[0].legs[0]).toMatchObject({ tag, filledQuantity: 65, averagePrice: '101.5000' });
    expect(body.provenance.trades[0].legs[0].fills).toHaveLength(1);
    // B has its own api:k1, without a trade: A's chain is not in it.
    const theirs = (await (await call(`/t/${slugB}/api/v1/decisions/api:k1`, tokenB())).json()) as typeof body;
    expect(theirs.provenance.trades).toEqual([]);
    expect((await call(`/t/${slugB}/api/v1/decisions/api:list-10`, tokenB())).status).toBe(404);
    expect((await call(`/t/${slugA}/api/v1/decisions/api:list-10`, tokenB())).status).toBe(404);
    expect((await call(`/t/${slugA}/api/v1/decisions/no%20such`, tokenA())).status).toBe(400);
  });
});
