/**
 * A request's rate-limit windows are counted in one statement (db/rate-limits countHits) and must
 * behave as separate checks in order did: a window after one past its limit is not counted, and a
 * tenant route, which counts its client only once the tenant is known, still counts a refused
 * request (no session, unknown tenant) against its client and answers a client past its limit 429.
 */
import { createHash } from 'node:crypto';
import { issueSession } from '../../api/session';
import { RATE_POLICIES } from '../../api/rate-limit';
import { countHits } from '../../db/rate-limits';
import { revokeSession } from '../../db/session-revocations';
import { createTenant } from '../../db/tenants';
import { testPool } from '../support/env';
import { startTestApi, type TestApi } from '../support/api-harness';

const SECRET = 'w'.repeat(40);
const digest = (key: string) => createHash('sha256').update(key).digest('base64url');

describe('rate-limit windows counted in one statement', () => {
  const pool = testPool('app');
  const admin = testPool('admin');
  let api: TestApi;
  let tenantId: number;
  const slug = `rl-w-${process.pid}`;

  beforeAll(async () => {
    tenantId = (await createTenant(pool, { slug, name: 'Rate windows' })).id;
    api = await startTestApi({ pool, sessionSecret: SECRET });
  });
  afterAll(() => api?.close());

  const hitsOf = async (key: string): Promise<number | null> => {
    const { rows } = await admin.query('SELECT hits FROM api_rate_limits WHERE key = $1', [digest(key)]);
    return rows[0]?.hits ?? null;
  };

  /** Puts `key`'s current window at `hits`, far enough from its end that the test's requests fall in it. */
  async function fill(key: string, windowSeconds: number, hits: number): Promise<void> {
    let [w] = (await countHits(pool, [{ key, windowSeconds, limit: 2 ** 31 - 1 }])).counts;
    if (w!.resetMs < 10_000) {
      await new Promise((r) => setTimeout(r, w!.resetMs + 50));
      [w] = (await countHits(pool, [{ key, windowSeconds, limit: 2 ** 31 - 1 }])).counts;
    }
    await admin.query('UPDATE api_rate_limits SET hits = $2 WHERE key = $1', [digest(key), hits]);
  }

  it('counts windows in order and stops after the first past its limit', async () => {
    const k = (n: string) => `test|${process.pid}|${n}`;
    const checks = [
      { key: k('a'), windowSeconds: 3600, limit: 2 },
      { key: k('b'), windowSeconds: 3600, limit: 100 },
      { key: k('c'), windowSeconds: 600, limit: 100 },
    ];
    const { counts: first } = await countHits(pool, checks);
    expect(first.map((c) => c?.hits)).toEqual([1, 1, 1]);
    expect(first[0]!.resetMs).toBeGreaterThan(0);
    expect(first[2]!.resetMs).toBeLessThanOrEqual(600_000);
    await countHits(pool, checks);
    // a is now past its limit: it is counted, b and c are not.
    expect((await countHits(pool, checks)).counts).toEqual([expect.objectContaining({ hits: 3 }), null, null]);
    expect([await hitsOf(k('a')), await hitsOf(k('b')), await hitsOf(k('c'))]).toEqual([3, 2, 2]);
    // Several requests at once over the same windows: every one counted, no deadlock.
    await Promise.all(Array.from({ length: 20 }, () => countHits(pool, checks.slice(1))));
    expect([await hitsOf(k('b')), await hitsOf(k('c'))]).toEqual([22, 22]);
  });

  it('a tenant route counts a refused request against its client, and a client past its limit gets 429', async () => {
    const ip = `10.77.${process.pid % 250}.9`;
    const clientKey = `client|client:${ip}`;
    const tenantKey = `tenant|tenant:${tenantId}`;
    const from = { 'x-forwarded-for': ip };
    const bearer = issueSession(SECRET, { userId: 1, tenantId, role: 'trader' });

    const anon = await api.call(`/t/${slug}/api/v1/orders`, { headers: from });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('ratelimit-policy')).toBe('"client";q=1200;w=60');
    const afterAnon = await hitsOf(clientKey);
    expect(afterAnon).toBeGreaterThanOrEqual(1);

    const ok = await api.call(`/t/${slug}/api/v1/orders`, { headers: from, bearer });
    expect(ok.status).toBe(200);
    expect(await hitsOf(clientKey)).toBe(afterAnon! + 1);
    const tenantHits = await hitsOf(tenantKey);
    expect(tenantHits).toBeGreaterThanOrEqual(1);

    await fill(clientKey, RATE_POLICIES.client.windowSeconds, RATE_POLICIES.client.limit);
    const limitedAnon = await api.call(`/t/${slug}/api/v1/orders`, { headers: from });
    const limited = await api.call(`/t/${slug}/api/v1/orders`, { headers: from, bearer });
    const unknown = await api.call(`/t/no-such-${process.pid}/api/v1/orders`, { headers: from, bearer });
    for (const res of [limitedAnon, limited, unknown]) {
      expect(res.status).toBe(429);
      expect((await res.json()).code).toBe('rate_limited');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.headers.get('ratelimit')).toMatch(/^"client";r=0;t=\d+$/);
    }
    // Refused by its client's limit, the request did not use up its tenant's window.
    expect(await hitsOf(tenantKey)).toBe(tenantHits);
  });

  it('a logged-out session is refused by the same statement: 401 before a 404, its tenant not counted', async () => {
    const ip = `10.78.${process.pid % 250}.9`;
    const from = { 'x-forwarded-for': ip };
    const bearer = issueSession(SECRET, { userId: 2, tenantId, role: 'trader' });
    expect((await api.call(`/t/${slug}/api/v1/orders`, { headers: from, bearer })).status).toBe(200);
    await revokeSession(pool, bearer, new Date(Date.now() + 3600_000));
    const tenantHits = await hitsOf(`tenant|tenant:${tenantId}`);
    const clientHits = await hitsOf(`client|client:${ip}`);
    const out = await api.call(`/t/${slug}/api/v1/orders`, { headers: from, bearer });
    const elsewhere = await api.call(`/t/no-such-${process.pid}/api/v1/orders`, { headers: from, bearer });
    for (const res of [out, elsewhere]) {
      expect(res.status).toBe(401);
      expect((await res.json()).detail).toBe('this session was logged out: log in again');
      expect(res.headers.get('ratelimit-policy')).toBe('"client";q=1200;w=60');
    }
    expect(await hitsOf(`client|client:${ip}`)).toBe(clientHits! + 2);
    expect(await hitsOf(`tenant|tenant:${tenantId}`)).toBe(tenantHits);
    // Another session of the same user is not affected.
    const fresh = issueSession(SECRET, { userId: 2, tenantId, role: 'operator' });
    expect((await api.call(`/t/${slug}/api/v1/orders`, { headers: from, bearer: fresh })).status).toBe(200);
  });
});
