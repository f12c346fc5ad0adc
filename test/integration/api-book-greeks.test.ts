/**
 * Positions priced on the tenant's own market: a simulated day's spread is priced on the snapshot its
 * decision stood on, not on the newest snapshot anyone stored (another day's, past the spread's expiry,
 * where it was worth 0 with 0 greeks). Numbers: signs of a bear call spread, magnitudes within what
 * its quantity allows, totals equal to the sum of the rows.
 */
import { issueSession } from '../../api/session';
import { simulatedSnapshot } from '../../activities/decision-inputs';
import { formatTradingsymbol } from '../../broker/tradingsymbol';
import { storeMarketSnapshot } from '../../db/market-snapshots';
import { withTenant } from '../../db/tenant';
import type { DecisionSnapshot } from '../../domain/snapshot';
import { startTestApi, type TestApi } from '../support/api-harness';
import { testPool } from '../support/env';
import { createTenant } from '../support/orders-env';

const SECRET = 'g'.repeat(40);
const DAY_AT = '2026-05-06T10:15:00+05:30';
/** Stored later, by another day: its time is past every expiry of DAY_AT's chain. */
const LATER_AT = '2026-11-27T11:00:00+05:30';

type Greeks = { delta: number; gamma: number; vega: number; theta: number };
interface Priced {
  tradingsymbol: string;
  quantity: number;
  price: number | null;
  unit: Greeks | null;
  position: Greeks | null;
}

const store = (snap: DecisionSnapshot) =>
  storeMarketSnapshot(testPool('app'), {
    id: snap.id,
    instrument: 'NIFTY',
    at: snap.at,
    date: snap.date,
    spot: snap.spot,
    origin: 'api-book-greeks-test',
    document: snap,
  });

describe("positions/greeks on the tenant's own market", () => {
  const pool = testPool('app');
  let api: TestApi;
  let tenant: { id: number; slug: string };
  let day: DecisionSnapshot;
  let short: string;
  let long: string;

  beforeAll(async () => {
    tenant = await createTenant(pool, 'greeks');
    day = simulatedSnapshot('NIFTY', new Date(DAY_AT).toISOString(), 7);
    await store(day);
    await store(simulatedSnapshot('NIFTY', new Date(LATER_AT).toISOString(), 11));
    const e = day.chain.expiries[0]!;
    short = formatTradingsymbol({ instrument: 'NIFTY', expiry: e.expiry, strike: e.atmStrike + 100, type: 'call' });
    long = formatTradingsymbol({ instrument: 'NIFTY', expiry: e.expiry, strike: e.atmStrike + 300, type: 'call' });
    await withTenant(pool, tenant.id, async ({ client }) => {
      await client.query(
        `INSERT INTO decisions (tenant_id, id, trading_date, workflow_id, run_id, structure, instrument, lots,
                                snapshot_id, status)
         VALUES ($1, 'greeks-d1', '2026-05-06', 'wf', 'run', 'bear_call_spread', 'NIFTY', 2, $2, 'filled')`,
        [tenant.id, day.id],
      );
      for (const [symbol, qty, avg] of [
        [short, -130, '54.50'],
        [long, 130, '14.80'],
      ] as const)
        await client.query(
          `INSERT INTO positions (tenant_id, tradingsymbol, instrument, quantity, average_price)
           VALUES ($1, $2, 'NIFTY', $3, $4)`,
          [tenant.id, symbol, qty, avg],
        );
    });
    api = await startTestApi({ pool, sessionSecret: SECRET });
  });
  afterAll(() => api?.close());

  it('prices a bear call spread on its decision’s snapshot: sane signs and sizes, totals = sum of rows', async () => {
    const res = await api.call(`/t/${tenant.slug}/api/v1/positions/greeks`, {
      bearer: issueSession(SECRET, { userId: 1, tenantId: tenant.id, role: 'trader' }),
    });
    expect(res.status).toBe(200);
    const book = (await res.json()) as {
      positions: Priced[];
      totals: Greeks;
      unpriced: number;
      snapshots: Record<string, string | null>;
    };
    expect(book.snapshots).toEqual({ NIFTY: day.id });
    expect(book.unpriced).toBe(0);
    const bySymbol = Object.fromEntries(book.positions.map((p) => [p.tradingsymbol, p]));
    for (const p of book.positions) {
      // A call a few days from expiry near the money: worth something, delta in (0, 1), convex, decaying.
      expect(p.price).toBeGreaterThan(0);
      expect(p.unit!.delta).toBeGreaterThan(0);
      expect(p.unit!.delta).toBeLessThan(1);
      expect(p.unit!.gamma).toBeGreaterThan(0);
      expect(p.unit!.vega).toBeGreaterThan(0);
      expect(p.unit!.theta).toBeLessThan(0);
      for (const g of ['delta', 'gamma', 'vega', 'theta'] as const)
        expect(p.position![g]).toBeCloseTo(p.unit![g] * p.quantity, 3);
    }
    // The nearer strike is worth more and moves more with the index.
    expect(bySymbol[short]!.price!).toBeGreaterThan(bySymbol[long]!.price!);
    expect(bySymbol[short]!.unit!.delta).toBeGreaterThan(bySymbol[long]!.unit!.delta);
    // Short the nearer call, long the farther: short delta, short gamma and vega, earning theta.
    expect(book.totals.delta).toBeLessThan(0);
    expect(book.totals.delta).toBeGreaterThan(-130);
    expect(book.totals.gamma).toBeLessThan(0);
    expect(book.totals.vega).toBeLessThan(0);
    expect(book.totals.theta).toBeGreaterThan(0);
    for (const g of ['delta', 'gamma', 'vega', 'theta'] as const)
      expect(book.totals[g]).toBeCloseTo(
        book.positions.reduce((sum, p) => sum + p.position![g], 0),
        4,
      );
  });

  it('falls back to the newest stored snapshot for a tenant whose decisions stood on none', async () => {
    const bare = await createTenant(pool, 'greeks-b');
    await withTenant(pool, bare.id, ({ client }) =>
      client.query(
        `INSERT INTO positions (tenant_id, tradingsymbol, instrument, quantity, average_price)
         VALUES ($1, $2, 'NIFTY', -65, '10')`,
        [bare.id, short],
      ),
    );
    const res = await api.call(`/t/${bare.slug}/api/v1/positions/greeks`, {
      bearer: issueSession(SECRET, { userId: 1, tenantId: bare.id, role: 'trader' }),
    });
    const book = (await res.json()) as { snapshots: Record<string, string | null>; unpriced: number };
    expect(res.status).toBe(200);
    expect(book.snapshots.NIFTY).not.toBeNull();
    expect(book.snapshots.NIFTY).not.toBe(day.id);
    expect(book.unpriced).toBe(0);
  });
});
