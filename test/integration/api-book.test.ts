/**
 * The book through the API on real Postgres: P&L by day (cumulative, drawdown) and for one day
 * (realised curve from the fills), positions priced with Black-76 on the latest stored snapshot
 * (greeks per position, portfolio totals), the risk walls' current outcome and last firing, the
 * models served; another tenant sees none of it; bad dates are 400s naming the field.
 */
import { issueSession } from '../../api/session';
import { simulatedSnapshot } from '../../activities/decision-inputs';
import { formatTradingsymbol } from '../../broker/tradingsymbol';
import { storeMarketSnapshot } from '../../db/market-snapshots';
import { withTenant } from '../../db/tenant';
import { startTestApi, type TestApi } from '../support/api-harness';
import { testPool } from '../support/env';
import { createTenant } from '../support/orders-env';

const SECRET = 'b'.repeat(40);
const AT = '2026-11-27T11:00:00+05:30';

interface Greeks {
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
}

describe('API book: P&L, positions with greeks, risk walls, serving models', () => {
  const pool = testPool('app');
  let api: TestApi;
  let tenant: { id: number; slug: string };
  let other: { id: number; slug: string };
  let call: string;
  let put: string;
  const get = async (path: string, t = tenant) => {
    const res = await api.call(`/t/${t.slug}/api/v1/${path}`, {
      bearer: issueSession(SECRET, { userId: 3, tenantId: t.id, role: 'trader' }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    tenant = await createTenant(pool, 'api-book');
    other = await createTenant(pool, 'api-book-o');
    const snap = simulatedSnapshot('NIFTY', new Date(AT).toISOString(), 7);
    await storeMarketSnapshot(pool, {
      id: snap.id,
      instrument: 'NIFTY',
      at: snap.at,
      date: snap.date,
      spot: snap.spot,
      origin: 'api-book-test',
      document: snap,
    });
    const e = snap.chain.expiries[0];
    call = formatTradingsymbol({ instrument: 'NIFTY', expiry: e.expiry, strike: e.atmStrike + 200, type: 'call' });
    put = formatTradingsymbol({ instrument: 'NIFTY', expiry: e.expiry, strike: e.atmStrike - 200, type: 'put' });
    await withTenant(pool, tenant.id, async ({ client }) => {
      for (const [symbol, qty, avg] of [
        [call, -65, '120.5'],
        [put, -65, '98.25'],
      ] as const)
        await client.query(
          `INSERT INTO positions (tenant_id, tradingsymbol, instrument, quantity, average_price)
           VALUES ($1, $2, 'NIFTY', $3, $4)`,
          [tenant.id, symbol, qty, avg],
        );
      // Two days of results: +1000 then −1500.25 (the cumulative curve falls 1500.25 from its peak).
      for (const [date, pnl] of [
        ['2026-11-25', '1000.00'],
        ['2026-11-26', '-1500.25'],
      ])
        await client.query(
          `INSERT INTO trading_days (tenant_id, trading_date, workflow_id, run_id, mode, status, final_state,
                                     decisions, trades, refusals, pnl, costs, max_drawdown, summary)
           VALUES ($1, $2, 'wf', 'run', 'live', 'completed', 'ACTIVE', 10, 1, '{}', $3, 40, 0, '{}')`,
          [tenant.id, date, pnl],
        );
      // A day's fills: sold at 100, bought back at 90 then 105 (realised +650, then −325).
      await client.query(
        `INSERT INTO orders (tenant_id, tag, broker, instrument, tradingsymbol, side, quantity, order_type, status)
         VALUES ($1, 'BK1', 'paper', 'NIFTY', $2, 'SELL', 130, 'MARKET', 'FILLED'),
                ($1, 'BK2', 'paper', 'NIFTY', $2, 'BUY', 130, 'MARKET', 'FILLED')`,
        [tenant.id, call],
      );
      await client.query(
        `INSERT INTO fills (tenant_id, id, order_tag, quantity, price, filled_at) VALUES
           ($1, 'bk-f1', 'BK1', 130, 100, '2026-11-27T10:00:00+05:30'),
           ($1, 'bk-f2', 'BK2', 65, 90, '2026-11-27T11:00:00+05:30'),
           ($1, 'bk-f3', 'BK2', 65, 105, '2026-11-27T12:00:00+05:30')`,
        [tenant.id],
      );
      // Decisions with the castle's outcomes: the loss wall fired on the first, passed on the second.
      const gates = (lossPass: boolean) =>
        JSON.stringify([
          { wall: 'kill-switch', pass: true, reasonCode: null, numbers: {} },
          { wall: 'loss-limits', pass: lossPass, reasonCode: lossPass ? null : 'DAILY_LOSS', numbers: { loss: 5 } },
        ]);
      for (const [id, pass, at] of [
        ['bk-d1', false, '2026-11-27T10:00:00+05:30'],
        ['bk-d2', true, '2026-11-27T11:00:00+05:30'],
      ] as const)
        await client.query(
          `INSERT INTO decisions (tenant_id, id, trading_date, workflow_id, run_id, structure, instrument, lots,
                                  gate_outcomes, status, created_at)
           VALUES ($1, $2, '2026-11-27', 'wf', 'run', 'NONE', 'NIFTY', 0, $3::jsonb, $4, $5)`,
          [tenant.id, id, gates(pass), pass ? 'abstain' : 'refused', at],
        );
    });
    api = await startTestApi({ pool, sessionSecret: SECRET });
  });
  afterAll(() => api?.close());

  it('P&L by day: cumulative and the drawdown of the cumulative curve; a range; bad dates are 400', async () => {
    expect((await get('pnl')).body).toMatchObject({
      days: [
        { date: '2026-11-25', pnl: '1000.00', cumulative: '1000.00' },
        { date: '2026-11-26', pnl: '-1500.25', cumulative: '-500.25' },
      ],
      total: '-500.25',
      maxDrawdown: '1500.25',
    });
    expect(((await get('pnl?from=2026-11-26')).body.days as unknown[]).length).toBe(1);
    for (const [path, field] of [
      ['pnl?from=2026-11-27&to=2026-11-01', 'query.from'],
      ['pnl?to=soon', 'query.to'],
      ['pnl/2026-02-31', 'params.date'],
    ]) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 400]);
      expect((res.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(field);
    }
  });

  it("one day's realised curve from its fills, with its drawdown", async () => {
    const { status, body } = await get('pnl/2026-11-27');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      date: '2026-11-27',
      realised: { curve: [{ pnl: '0.00' }, { pnl: '650.00' }, { pnl: '325.00' }], maxDrawdown: '325.00' },
      live: null,
      summary: null,
    });
  });

  it('positions priced with Black-76: signed greeks per position, totals their sum', async () => {
    const { status, body } = await get('positions/greeks');
    expect(status).toBe(200);
    const { positions, totals, unpriced } = body as {
      positions: Array<{ tradingsymbol: string; price: number; vol: number; unit: Greeks; position: Greeks }>;
      totals: Greeks;
      unpriced: number;
    };
    expect(unpriced).toBe(0);
    expect(positions.map((p) => p.tradingsymbol).sort()).toEqual([call, put].sort());
    const short = (s: string) => positions.find((p) => p.tradingsymbol === s)!;
    // Short a call: negative delta; short a put: positive delta; both short gamma and vega, long theta.
    expect(short(call).position.delta).toBeLessThan(0);
    expect(short(put).position.delta).toBeGreaterThan(0);
    for (const p of positions) {
      expect(p.price).toBeGreaterThan(0);
      expect(p.vol).toBeGreaterThan(0);
      expect(p.position.gamma).toBeLessThan(0);
      expect(p.position.vega).toBeLessThan(0);
      expect(p.position.delta).toBeCloseTo(p.unit.delta * -65, 4);
    }
    for (const k of ['delta', 'gamma', 'vega', 'theta'] as const)
      expect(totals[k]).toBeCloseTo(positions[0].position[k] + positions[1].position[k], 4);
  });

  it("the walls' current outcome and last firing; the models served; another tenant sees nothing", async () => {
    const { body } = await get('risk-walls');
    const walls = body.walls as Array<{
      wall: string;
      current: { decisionId: string; pass: boolean };
      lastFiring: { decisionId: string; reasonCode: string } | null;
    }>;
    expect(walls.find((w) => w.wall === 'loss-limits')).toMatchObject({
      current: { decisionId: 'bk-d2', pass: true },
      lastFiring: { decisionId: 'bk-d1', reasonCode: 'DAILY_LOSS' },
    });
    expect(walls.find((w) => w.wall === 'kill-switch')?.lastFiring).toBeNull();
    // Each decision announced itself on the outbox, and the firing on the gates channel.
    const events = await withTenant(pool, tenant.id, ({ client }) =>
      client.query<{ channel: string; id: string; fired: unknown }>(
        `SELECT channel, payload->>'decisionId' AS id, payload->'fired' AS fired FROM api_events
          WHERE tenant_id = $1 AND channel IN ('decisions', 'gates') ORDER BY id`,
        [tenant.id],
      ),
    );
    expect(events.rows).toEqual([
      { channel: 'decisions', id: 'bk-d1', fired: null },
      { channel: 'gates', id: 'bk-d1', fired: [{ wall: 'loss-limits', reasonCode: 'DAILY_LOSS' }] },
      { channel: 'decisions', id: 'bk-d2', fired: null },
    ]);
    const models = await get('serving-models');
    expect(models.status).toBe(200);
    expect(models.body).toHaveProperty('production');
    expect(models.body).toHaveProperty('served');
    // The other tenant: empty book, no walls, no days; our slug is a 404 for it.
    expect((await get('risk-walls', other)).body.walls).toEqual([]);
    expect((await get('positions/greeks', other)).body.positions).toEqual([]);
    expect((await get('pnl', other)).body.days).toEqual([]);
    expect((await get('pnl/2026-11-27', other)).body).toMatchObject({ realised: { curve: [] } });
    const res = await api.call(`/t/${tenant.slug}/api/v1/pnl`, {
      bearer: issueSession(SECRET, { userId: 3, tenantId: other.id, role: 'admin' }),
    });
    expect(res.status).toBe(404);
  });
});
