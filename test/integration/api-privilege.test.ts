/**
 * Live arming and rate limits through the real API on real Postgres: qs_app cannot UPDATE
 * tenants, a tenant is never inserted armed, arming goes only through qs_set_live_armed (an admin
 * of the tenant or the platform, audited); 429 with Retry-After and RateLimit headers, counted in
 * Postgres so two API apps share one budget.
 */
import { issueSession } from '../../api/session';
import { RATE_POLICIES } from '../../api/rate-limit';
import { createTenant, createUser } from '../../db/tenants';
import { PLATFORM_TENANT_ID } from '../../db/schema/tenants';
import { testClient, testPool } from '../support/env';
import { startTestApi, type TestApi } from '../support/api-harness';

const SECRET = 'p'.repeat(40);

describe('tenant privilege and rate limits', () => {
  const pool = testPool('app');
  const admin = testPool('admin');
  const superuser = testPool('super'); // reads audit_log across RLS
  const apis: TestApi[] = [];
  const urls: string[] = [];
  const slug = `api-p-${process.pid}`;
  let tenantId: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    tenantId = (await createTenant(pool, { slug, name: 'Privilege' })).id;
    for (const role of ['trader', 'operator', 'admin'])
      ids[role] = (
        await createUser(pool, tenantId, { email: `${role}@p.test`, role, password: 'a good password!' })
      ).id;
    const client = await testClient();
    for (let i = 0; i < 2; i++) {
      const api = await startTestApi({ pool, client, sessionSecret: SECRET });
      apis.push(api);
      urls.push(api.url);
    }
  });
  afterAll(() => Promise.all(apis.map((a) => a.close())));

  const armed = async () =>
    (await admin.query<{ a: boolean }>('SELECT live_armed AS a FROM tenants WHERE id = $1', [tenantId])).rows[0].a;
  const arm = (token: string, body: unknown) =>
    fetch(`${urls[0]}/t/${slug}/api/v1/live-arming`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const as = (role: string, userId = ids[role], tenant = tenantId) =>
    issueSession(SECRET, { userId, tenantId: tenant, role });

  it('qs_app cannot UPDATE or DELETE tenants, and a tenant inserted armed is stored unarmed', async () => {
    await expect(pool.query('UPDATE tenants SET live_armed = true WHERE id = $1', [tenantId])).rejects.toMatchObject({
      code: '42501',
    });
    await expect(pool.query('DELETE FROM tenants WHERE id = $1', [tenantId])).rejects.toMatchObject({ code: '42501' });
    const { rows } = await pool.query<{ a: boolean; s: string }>(
      `INSERT INTO tenants (slug, name, live_armed, status) VALUES ($1, 'x', true, 'suspended')
       RETURNING live_armed AS a, status AS s`,
      [`born-${process.pid}`],
    );
    expect(rows[0]).toEqual({ a: false, s: 'active' });
    // Calling the function directly with a trader's id is refused by the database itself.
    await expect(
      pool.query('SELECT qs_set_live_armed($1, true, $2, $3)', [tenantId, ids.trader, 'sneaky']),
    ).rejects.toMatchObject({ code: '42501' });
    expect(await armed()).toBe(false);
  });

  it('arms only for an admin (audited), and refuses operators, traders and a forged admin claim', async () => {
    expect((await arm(as('operator'), { armed: true, reason: 'go live' })).status).toBe(403);
    expect((await arm(as('trader'), { armed: true, reason: 'go live' })).status).toBe(403);
    // A token that says admin for a user who is a trader in the database: the function refuses.
    expect((await arm(as('admin', ids.trader), { armed: true, reason: 'go live' })).status).toBe(403);
    expect((await arm(as('admin'), { armed: true })).status).toBe(400);
    expect(await armed()).toBe(false);

    const ok = await arm(as('admin'), { armed: true, reason: 'go live' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ armed: true });
    expect(await armed()).toBe(true);
    expect((await arm(as('admin'), { armed: false, reason: 'done for today' })).status).toBe(200);
    expect(await armed()).toBe(false);
    const { rows } = await superuser.query<{ event_type: string; user_id: number; payload: { reason: string } }>(
      `SELECT event_type, user_id, payload FROM audit_log
        WHERE tenant_id = $1 AND event_type LIKE 'live.%' ORDER BY seq`,
      [tenantId],
    );
    expect(rows.map((r) => [r.event_type, r.user_id, r.payload.reason])).toEqual([
      ['live.armed', ids.admin, 'go live'],
      ['live.disarmed', ids.admin, 'done for today'],
    ]);
  });

  it('a platform admin (tenant 0) may arm a tenant; the audit row names the platform', async () => {
    const platformAdmin = await createUser(pool, PLATFORM_TENANT_ID, {
      email: `root-${process.pid}@platform.test`,
      role: 'admin',
      password: 'a good password!',
    });
    const res = await arm(as('admin', platformAdmin.id, PLATFORM_TENANT_ID), { armed: true, reason: 'ops' });
    expect(res.status).toBe(200);
    const { rows } = await superuser.query<{ payload: { actorTenant: number } }>(
      "SELECT payload FROM audit_log WHERE tenant_id = $1 AND event_type = 'live.armed' ORDER BY seq DESC LIMIT 1",
      [tenantId],
    );
    expect(rows[0].payload.actorTenant).toBe(PLATFORM_TENANT_ID);
    await arm(as('admin'), { armed: false, reason: 'back to paper' });
  });

  it('login is limited per client across API nodes: 429 with Retry-After and RateLimit headers', async () => {
    const client = `203.0.113.${process.pid % 250}`;
    // Windows are fixed (per minute): a run that straddles a boundary starts a new window, so it
    // sends until the limit answers, at most two windows' worth.
    let last: Response | undefined;
    let sent = 0;
    let code = '';
    while (code !== 'rate_limited' && sent < 2 * RATE_POLICIES.login.limit + 2) {
      last = await fetch(`${urls[sent % 2]}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
        body: JSON.stringify({ tenant: 'nobody', email: `n${sent}@x.test`, password: 'x' }),
      });
      sent++;
      code = ((await last.json()) as { code?: string }).code ?? '';
    }
    // 20 failures from one client also start the login backoff (429 too_many_attempts); the
    // request limit answers 429 rate_limited once 30 requests came in one window.
    expect(sent).toBeGreaterThan(RATE_POLICIES.login.limit);
    expect(last!.status).toBe(429);
    expect(code).toBe('rate_limited');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.headers.get('ratelimit-policy')).toBe(`"login";q=${RATE_POLICIES.login.limit};w=60`);
    expect(last!.headers.get('ratelimit')).toMatch(/^"login";r=0;t=\d+$/);
    // Another client is not affected; probes are never limited.
    const other = await fetch(`${urls[1]}/healthz`, { headers: { 'x-forwarded-for': client } });
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit')).toBeNull();
  });

  it('tenant routes carry the RateLimit headers of their tightest policy', async () => {
    const res = await fetch(`${urls[1]}/t/${slug}/api/v1/orders`, {
      headers: { authorization: `Bearer ${as('trader')}`, 'x-forwarded-for': '192.0.2.77' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-policy')).toMatch(/^"client";q=1200;w=60$/);
    expect(res.headers.get('ratelimit')).toMatch(/^"client";r=\d+;t=\d+$/);
  });
});
