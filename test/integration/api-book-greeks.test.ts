/**
 * Positions priced on the market they live in: a paper tenant's spread, opened on its paper exchange's
 * simulated day, is priced on that exchange's chain now — not on the newest snapshot anyone stored
 * (another day's market, past the spread's expiry or far from its strikes, where it was worth 0 with 0
 * greeks). Numbers: signs of a bear call spread, magnitudes within what its quantity allows, per-unit
 * greeks as the exchange quotes them, totals equal to the sum of the rows. A tenant without a paper
 * account is priced on the newest stored snapshot.
 */
import { issueSession } from '../../api/session';
import { simulatedSnapshot } from '../../activities/decision-inputs';
import { chainAt, simulatedMs, type PaperMarketSession } from '../../broker/paper/market';
import { configurePaperAccount } from '../../broker/paper/paper-broker';
import { formatTradingsymbol } from '../../broker/tradingsymbol';
import { storeMarketSnapshot } from '../../db/market-snapshots';
import { withTenant } from '../../db/tenant';
import type { OptionQuote } from '../../domain/market';
import type { DecisionSnapshot } from '../../domain/snapshot';
import { startTestApi, type TestApi } from '../support/api-harness';
import { testPool } from '../support/env';
import { createTenant } from '../support/orders-env';

const SECRET = 'g'.repeat(40);
/** The paper day: 2026-05-06, seed 7, its clock at 10:15 standing still. */
const SESSION = { date: '2026-05-06', seed: 7, startMinute: 60, speed: 0 } as const;
/** Stored by another day (not api-book's instant: the newest snapshot is theirs): past every paper expiry. */
const LATER_AT = '2026-11-20T11:00:00+05:30';

type Greeks = { delta: number; gamma: number; vega: number; theta: number };
interface Priced {
  tradingsymbol: string;
  quantity: number;
  price: number | null;
  vol: number | null;
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

describe('positions/greeks on the market the positions live in', () => {
  const pool = testPool('app');
  let api: TestApi;
  let tenant: { id: number; slug: string };
  let later: DecisionSnapshot;
  let short: string;
  let long: string;
  const quotes: Record<string, OptionQuote> = {};

  beforeAll(async () => {
    tenant = await createTenant(pool, 'greeks');
    await configurePaperAccount(pool, tenant.id, { market: SESSION });
    later = simulatedSnapshot('NIFTY', new Date(LATER_AT).toISOString(), 11);
    await store(later);
    const session: PaperMarketSession = { ...SESSION, anchorMs: Date.now() };
    const e = chainAt('NIFTY', session, simulatedMs(session, Date.now())).expiries[0]!;
    const leg = (strike: number) => {
      const symbol = formatTradingsymbol({ instrument: 'NIFTY', expiry: e.expiry, strike, type: 'call' });
      quotes[symbol] = e.quotes.find((q) => q.strike === strike && q.type === 'call')!;
      return symbol;
    };
    short = leg(e.atmStrike + 100);
    long = leg(e.atmStrike + 300);
    await withTenant(pool, tenant.id, async ({ client }) => {
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

  it("prices a paper bear call spread on its exchange's chain: signs, sizes, totals = the rows' sum", async () => {
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
    expect(book.snapshots.NIFTY).toMatch(/^paper:2026-05-06\/seed-7@2026-05-06T10:15/);
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
      // As the paper exchange itself quotes the contract.
      const q = quotes[p.tradingsymbol]!;
      expect(p.vol).toBeCloseTo(q.iv, 4);
      expect(p.price!).toBeCloseTo(q.mid, -1);
      expect(p.unit!.delta).toBeCloseTo(q.delta, 2);
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

  it('prices a tenant without a paper account on the newest stored snapshot', async () => {
    const bare = await createTenant(pool, 'greeks-b');
    await withTenant(pool, bare.id, ({ client }) =>
      client.query(
        `INSERT INTO positions (tenant_id, tradingsymbol, instrument, quantity, average_price)
         VALUES ($1, $2, 'NIFTY', -65, '10')`,
        [
          bare.id,
          formatTradingsymbol({
            ...later.chain.expiries[0]!,
            instrument: 'NIFTY',
            strike: later.chain.expiries[0]!.atmStrike,
            type: 'put',
          }),
        ],
      ),
    );
    const res = await api.call(`/t/${bare.slug}/api/v1/positions/greeks`, {
      bearer: issueSession(SECRET, { userId: 1, tenantId: bare.id, role: 'trader' }),
    });
    const book = (await res.json()) as { snapshots: Record<string, string | null>; unpriced: number };
    expect(res.status).toBe(200);
    expect(book.snapshots.NIFTY).toMatch(/^snap_/);
    expect(book.unpriced).toBe(0);
  });
});
