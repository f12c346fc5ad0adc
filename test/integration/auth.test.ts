/**
 * Login over real HTTP: a session for the right password, one generic 401 otherwise (in the
 * same time for unknown users), 400 naming bad fields, and failures that back off per account
 * and per client address across API processes.
 */
import { loadConfig } from '../../runtime/config';
import { startApiServer, ApiServer } from '../../api/server';
import { createTenant, createUser } from '../../db/tenants';
import { withTenant } from '../../db/tenant';
import { testEnv, testPool } from '../support/env';

describe('POST /api/v1/auth/login', () => {
  let api: ApiServer;
  let second: ApiServer;
  const app = testPool('app');
  const admin = testPool('admin');
  const slug = `auth-${process.pid}`;
  const password = 'a very good password';
  let tenantId: number;

  beforeAll(async () => {
    const env = testEnv();
    const config = loadConfig({
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_NAMESPACE: env.namespace,
      QS_LOG_LEVEL: 'silent',
      QS_SESSION_SECRET: 'k'.repeat(40),
    });
    const at = { ...config, api: { host: '127.0.0.1', port: 0 } };
    [api, second] = await Promise.all([startApiServer(at, env.appUrl), startApiServer(at, env.appUrl)]);
    tenantId = (await createTenant(app, { slug, name: 'Auth' })).id;
    for (const who of ['ops', 'locked', 'shared'])
      await createUser(app, tenantId, { email: `${who}@auth.test`, role: 'operator', password });
  });
  afterAll(() => Promise.all([api.close(), second.close()]));

  // The API trusts X-Forwarded-For from loopback (a local proxy), so each test can be its own
  // client address and throttling in one test does not leak into the next.
  let clients = 0;
  const newClient = () => `198.51.100.${++clients}`;
  const login = (body: unknown, opts: { from?: string; via?: ApiServer; type?: string } = {}) =>
    fetch(`${(opts.via ?? api).url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': opts.type ?? 'application/json', 'x-forwarded-for': opts.from ?? newClient() },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('issues a session (cookie and token) that /me accepts, and audits the login', async () => {
    const res = await login({ tenant: slug, email: 'OPS@auth.test', password });
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
    const extra = await fetch(`${api.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${body.token}.x` } });
    expect(extra.status).toBe(401);

    const logins = await withTenant(app, tenantId, ({ client }) =>
      client.query("SELECT count(*)::int AS n FROM audit_log WHERE event_type = 'user.login'"),
    );
    expect(logins.rows[0].n).toBe(1);
  });

  it.each([
    ['a wrong password', { tenant: slug, email: 'ops@auth.test', password: 'nope' }],
    ['an unknown user', { tenant: slug, email: 'who@auth.test', password }],
    ['an unknown tenant', { tenant: 'nobody-here', email: 'ops@auth.test', password }],
  ])('answers 401 for %s, without saying which part was wrong', async (_what, body) => {
    const res = await login(body);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      code: 'invalid_credentials',
      detail: 'tenant, email or password is wrong',
    });
  });

  it('answers 400 naming the missing fields, and 400 for malformed JSON', async () => {
    const res = await login({ tenant: slug });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ field: string }> };
    expect(body.errors.map((f) => f.field).sort()).toEqual(['body.email', 'body.password']);
    const bad = await login('{"tenant": ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'bad_request', detail: 'request body is not valid JSON' });
  });

  it.each(['tenant', 'email', 'password'])(
    'answers 400 naming %s when it holds a NUL byte or broken text',
    async (f) => {
      const good = { tenant: slug, email: 'ops@auth.test', password };
      for (const bad of [`${good[f as keyof typeof good]}\u0000`, 'x\ud800y']) {
        const res = await login({ ...good, [f]: bad });
        expect(res.status).toBe(400);
        const body = (await res.json()) as { code: string; errors: Array<{ field: string }> };
        expect(body.code).toBe('bad_request');
        expect(body.errors.map((x) => x.field)).toEqual([`body.${f}`]);
      }
    },
  );

  it('answers 400 naming the body for valid JSON that is not an object', async () => {
    for (const body of ['null', '[]', '"x"', '0', 'true']) {
      const res = await login(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'bad_request', errors: [{ field: 'body' }] });
    }
  });

  it('answers 413 and 415 with their own names', async () => {
    const huge = await login({ tenant: slug, email: 'ops@auth.test', password: 'x'.repeat(300_000) });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ code: 'payload_too_large' });
    const text = await login(JSON.stringify({ tenant: slug }), { type: 'text/plain' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('backs off an account after 5 failures, with a growing Retry-After, on every API process', async () => {
    const wrong = { tenant: slug, email: 'locked@auth.test', password: 'wrong password' };
    // Each try from another address: only the account's counter is at work.
    for (let i = 0; i < 5; i++) expect((await login(wrong, { via: i % 2 ? second : api })).status).toBe(401);
    const blocked = await login({ ...wrong, password }, { via: second });
    expect(blocked.status).toBe(429); // even the right password waits
    expect(blocked.headers.get('retry-after')).toBe('1');
    expect(await blocked.json()).toMatchObject({ code: 'too_many_attempts' });
    await sleep(1100);
    expect((await login(wrong)).status).toBe(401); // the 6th failure: 2 s now
    const longer = await login(wrong, { via: second });
    expect(longer.status).toBe(429);
    expect(longer.headers.get('retry-after')).toBe('2');
    await sleep(2100);
    expect((await login({ ...wrong, password })).status).toBe(200); // success resets the account
    for (let i = 0; i < 4; i++) expect((await login(wrong)).status).toBe(401);
  });

  it('backs off a client address after 20 failures, whatever accounts it tries', async () => {
    const from = newClient();
    for (let i = 0; i < 20; i++) {
      const res = await login({ tenant: slug, email: `guess${i}@auth.test`, password: 'guess' }, { from });
      expect(res.status).toBe(401);
    }
    const blocked = await login({ tenant: slug, email: 'shared@auth.test', password }, { from, via: second });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await login({ tenant: slug, email: 'shared@auth.test', password })).status).toBe(200); // other clients
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).toMatch(/^qs_login_throttled_total [1-9]/m);
  });

  it('takes as long for an unknown user or tenant as for a wrong password (a dummy hash)', async () => {
    const cases = {
      'wrong password': { tenant: slug, email: 'ops@auth.test', password: 'not it at all' },
      'unknown user': { tenant: slug, email: 'nobody@auth.test', password: 'not it at all' },
      'unknown tenant': { tenant: 'no-such-tenant', email: 'ops@auth.test', password: 'not it at all' },
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (let i = 0; i < 33; i++) {
      // The limiter is not what this measures: start every round with clean counters.
      await admin.query('DELETE FROM login_throttle');
      const order = Object.entries(cases);
      for (let j = 0; j < i % order.length; j++) order.push(order.shift()!); // no case always goes first
      for (const [name, body] of order) {
        const t0 = performance.now();
        const res = await login(body);
        const ms = performance.now() - t0;
        expect(res.status).toBe(401);
        if (i >= 3) times[name].push(ms); // the first rounds warm up connections and the JIT
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Other processes share the 2 cores: a 10% trimmed mean keeps their stalls out of the verdict.
    const trimmed = (xs: number[]) => {
      const cut = Math.floor(xs.length / 10);
      return mean([...xs].sort((a, b) => a - b).slice(cut, xs.length - cut));
    };
    const report = Object.entries(times).map(([k, xs]) => ({ k, mean: mean(xs), trimmed: trimmed(xs) }));
    console.log(
      `login timing over HTTP, ${times['wrong password'].length} each: ` +
        report.map((r) => `${r.k} mean ${r.mean.toFixed(1)} ms (trimmed ${r.trimmed.toFixed(1)})`).join(', '),
    );
    const values = report.map((r) => r.trimmed);
    expect(Math.max(...values) / Math.min(...values)).toBeLessThan(1.5);
  });

  it('refuses /me without a session', async () => {
    expect((await fetch(`${api.url}/api/v1/auth/me`)).status).toBe(401);
    expect(
      (await fetch(`${api.url}/api/v1/auth/me`, { headers: { authorization: 'Bearer forged.token' } })).status,
    ).toBe(401);
  });
});
