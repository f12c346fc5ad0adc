/** Login over real HTTP: a session for the right password, one generic 401 otherwise, 400 naming bad fields. */
import { loadConfig } from '../../runtime/config';
import { startApiServer, ApiServer } from '../../api/server';
import { createTenant, createUser } from '../../db/tenants';
import { withTenant } from '../../db/tenant';
import { testEnv, testPool } from '../support/env';

describe('POST /api/v1/auth/login', () => {
  let api: ApiServer;
  const app = testPool('app');
  const slug = `auth-${process.pid}`;
  let tenantId: number;

  beforeAll(async () => {
    const env = testEnv();
    const config = loadConfig({
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_NAMESPACE: env.namespace,
      QS_LOG_LEVEL: 'silent',
      QS_SESSION_SECRET: 'k'.repeat(40),
    });
    api = await startApiServer({ ...config, api: { host: '127.0.0.1', port: 0 } }, env.appUrl);
    tenantId = (await createTenant(app, { slug, name: 'Auth' })).id;
    await createUser(app, tenantId, { email: 'ops@auth.test', role: 'operator', password: 'a very good password' });
  });
  afterAll(() => api.close());

  const login = (body: unknown) =>
    fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('issues a session (cookie and token) that /me accepts, and audits the login', async () => {
    const res = await login({ tenant: slug, email: 'OPS@auth.test', password: 'a very good password' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; user: { role: string }; tenant: { id: number } };
    expect(body.user.role).toBe('operator');
    expect(body.tenant.id).toBe(tenantId);
    expect(res.headers.get('set-cookie')).toMatch(/^qs_session=[^;]+; .*HttpOnly; SameSite=Strict/);

    const me = await fetch(`${api.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${body.token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { session: { tenantId: number } }).session.tenantId).toBe(tenantId);
    const cookieMe = await fetch(`${api.url}/api/v1/auth/me`, {
      headers: { cookie: res.headers.get('set-cookie')!.split(';')[0] },
    });
    expect(cookieMe.status).toBe(200);

    const logins = await withTenant(app, tenantId, ({ client }) =>
      client.query("SELECT count(*)::int AS n FROM audit_log WHERE event_type = 'user.login'"),
    );
    expect(logins.rows[0].n).toBe(1);
  });

  it.each([
    ['a wrong password', { tenant: slug, email: 'ops@auth.test', password: 'nope' }],
    ['an unknown user', { tenant: slug, email: 'who@auth.test', password: 'a very good password' }],
    ['an unknown tenant', { tenant: 'nobody-here', email: 'ops@auth.test', password: 'a very good password' }],
  ])('answers 401 for %s, without saying which part was wrong', async (_what, body) => {
    const res = await login(body);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_credentials', message: 'tenant, email or password is wrong' });
  });

  it('answers 400 naming the missing fields, and 400 for malformed JSON', async () => {
    const res = await login({ tenant: slug });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { fields: Array<{ field: string }> };
    expect(body.fields.map((f) => f.field).sort()).toEqual(['email', 'password']);
    const bad = await login('{"tenant": ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'bad_request', message: 'request body is not valid JSON' });
  });

  it('refuses /me without a session', async () => {
    expect((await fetch(`${api.url}/api/v1/auth/me`)).status).toBe(401);
    expect(
      (await fetch(`${api.url}/api/v1/auth/me`, { headers: { authorization: 'Bearer forged.token' } })).status,
    ).toBe(401);
  });
});
