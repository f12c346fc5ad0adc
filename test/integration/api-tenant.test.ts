/** @jest-environment ./ml/onnx/jest-environment.js */
/**
 * The tenant API over real HTTP on real Postgres: /t/:slug/api/v1 routing, bearer and cookie
 * sessions, CSRF on cookie writes, helmet's headers, problem+json errors, the role matrix (one
 * test per route and role), cross-tenant 404s, and an OpenAPI 3.1 document that validates and
 * lists every mounted route.
 */
import { compileErrors, validate } from '@readme/openapi-parser';
import type { AppWithRoutes } from '../../api/app';
import { issueSession } from '../../api/session';
import { openApiPath } from '../../api/openapi';
import { createTenant, createUser } from '../../db/tenants';
import type { UserRole } from '../../db/schema/users';
import { PLATFORM_TENANT_ID } from '../../db/schema/tenants';
import { testPool } from '../support/env';
import { startTestApi, type TestApi } from '../support/api-harness';

const SECRET = 't'.repeat(40);
const ROLES: UserRole[] = ['trader', 'operator', 'admin'];

describe('tenant API: routing, sessions, roles, CSRF, OpenAPI', () => {
  const pool = testPool('app');
  const admin = testPool('super');
  let app: AppWithRoutes;
  let api: TestApi;
  const slug = `api-t-${process.pid}`;
  const otherSlug = `api-o-${process.pid}`;
  let tenantId: number;
  let otherId: number;
  const users: Partial<Record<UserRole, number>> = {};
  const token = (role: UserRole, tenant = tenantId) =>
    issueSession(SECRET, { userId: tenant === tenantId ? users[role]! : 1, tenantId: tenant, role });

  beforeAll(async () => {
    tenantId = (await createTenant(pool, { slug, name: 'API tenant' })).id;
    otherId = (await createTenant(pool, { slug: otherSlug, name: 'Other tenant' })).id;
    for (const role of ROLES)
      users[role] = (
        await createUser(pool, tenantId, { email: `${role}@api.test`, role, password: 'a good password!' })
      ).id;
    api = await startTestApi({ pool, sessionSecret: SECRET });
    app = api.app;
  });
  afterAll(() => api?.close());

  const call = (path: string, init: RequestInit & { bearer?: string } = {}) => api.call(path, init);

  it('answers problem+json: 401 without a session, the same 404 for another tenant and for no tenant', async () => {
    const anon = await call(`/t/${slug}/api/v1/orders`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await anon.json()).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      code: 'unauthenticated',
      detail: 'log in first (POST /api/v1/auth/login)',
    });
    const other = await call(`/t/${otherSlug}/api/v1/orders`, { bearer: token('admin') });
    const missing = await call(`/t/no-such-${process.pid}/api/v1/orders`, { bearer: token('admin') });
    expect([other.status, missing.status]).toEqual([404, 404]);
    expect(await other.json()).toEqual(await missing.json());
    const own = await call(`/t/${slug}/api/v1/orders`, { bearer: token('trader') });
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ orders: [] });
  });

  it("a platform operator (tenant 0) reaches any tenant with its role; another tenant's user does not", async () => {
    const platform = token('operator', PLATFORM_TENANT_ID);
    expect((await call(`/t/${otherSlug}/api/v1/audit`, { bearer: platform })).status).toBe(200);
    const intruder = issueSession(SECRET, { userId: 1, tenantId: otherId, role: 'admin' });
    expect((await call(`/t/${slug}/api/v1/audit`, { bearer: intruder })).status).toBe(404);
  });

  it("sends helmet's headers", async () => {
    const res = await call('/healthz');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('validation errors name the field path', async () => {
    const res = await call(`/t/${slug}/api/v1/kill-switches/set`, {
      method: 'POST',
      bearer: token('trader'),
      body: JSON.stringify({ scope: 'planet', reason: '', extra: 1 }),
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { code: string; errors: Array<{ field: string }> };
    expect(problem.code).toBe('bad_request');
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['body', 'body.reason', 'body.scope']);
    const query = await call(`/t/${slug}/api/v1/orders?limit=-3`, { bearer: token('trader') });
    expect(((await query.json()) as { errors: Array<{ field: string }> }).errors[0].field).toBe('query.limit');
  });

  it('decide counts against its own 600/h per tenant, the tightest policy it shows', async () => {
    const decide = () =>
      call(`/t/${slug}/api/v1/decisions`, { method: 'POST', bearer: token('trader'), body: '{"key":"x y"}' });
    const first = await decide();
    expect(first.status).toBe(400);
    expect(first.headers.get('ratelimit-policy')).toBe('"decide";q=600;w=3600');
    const remaining = Number(/r=(\d+)/.exec(first.headers.get('ratelimit') ?? '')?.[1]);
    expect(remaining).toBeLessThan(600);
    expect((await decide()).headers.get('ratelimit')).toContain(`r=${remaining - 1};`);
  });

  it('a cookie-authenticated write needs the CSRF token of that session; a bearer write does not', async () => {
    const cookie = `qs_session=${token('operator')}`;
    const body = JSON.stringify({ scope: 'instrument', target: 'NIFTY', reason: 'csrf test' });
    const post = (headers: Record<string, string>) =>
      call(`/t/${slug}/api/v1/kill-switches/set`, { method: 'POST', body, headers });
    const refused = await post({ cookie });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('csrf_token_invalid');

    const issued = await call(`/t/${slug}/api/v1/csrf`, { headers: { cookie } });
    const csrfCookie = /qs_csrf=[^;]+/.exec(issued.headers.get('set-cookie') ?? '')![0];
    const { token: csrf } = (await issued.json()) as { token: string };
    expect((await post({ cookie: `${cookie}; ${csrfCookie}`, 'x-csrf-token': csrf })).status).toBe(200);
    // The same token with another session's cookie is refused.
    const otherSession = `qs_session=${token('admin')}`;
    expect((await post({ cookie: `${otherSession}; ${csrfCookie}`, 'x-csrf-token': csrf })).status).toBe(403);
    const bearer = await call(`/t/${slug}/api/v1/kill-switches/set`, { method: 'POST', body, bearer: token('trader') });
    expect(bearer.status).toBe(200);
    const audited = await admin.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND event_type = 'kill_switch.set'",
      [tenantId],
    );
    expect(audited.rows[0].n).toBe(2);
  });

  it('the OpenAPI document is valid OpenAPI 3.1 and lists every mounted route', async () => {
    const res = await call('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    // Every route Express serves, read from its router (not from the table that made the document),
    // but the dashboard's HTML pages, which are not API.
    type Layer = {
      route?: { path: string | string[]; methods: Record<string, boolean> };
      handle?: { stack?: Layer[] };
    };
    const pages = ['/', '/t/:slug/'];
    const mounted: string[] = [];
    const walk = (stack: Layer[]) => {
      for (const layer of stack) {
        if (layer.route)
          for (const path of [layer.route.path].flat().filter((p) => !pages.includes(p)))
            for (const m of Object.keys(layer.route.methods)) mounted.push(`${m} ${openApiPath(path)}`);
        else if (layer.handle?.stack) walk(layer.handle.stack);
      }
    };
    walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
    expect(mounted.length).toBeGreaterThan(10);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(mounted.sort()).toEqual(documented.sort());
  });

  it("models: a tenant's operators see its variants; global models need a platform session", async () => {
    const list = await call(`/t/${slug}/api/v1/models`, { bearer: token('operator') });
    expect(list.status).toBe(200);
    const { models } = (await list.json()) as { models: Array<{ typeId: string; scope: unknown }> };
    expect(models.length).toBeGreaterThan(0);
    expect(models.every((m) => m.scope === tenantId)).toBe(true);
    expect((await call(`/t/${slug}/api/v1/models?scope=global`, { bearer: token('operator') })).status).toBe(403);
    const platform = token('operator', PLATFORM_TENANT_ID);
    expect((await call(`/t/${slug}/api/v1/models?scope=global`, { bearer: platform })).status).toBe(200);
    const type = models[0].typeId;
    const missing = await call(`/t/${slug}/api/v1/models/${type}/promote`, {
      method: 'POST',
      bearer: token('operator'),
      body: JSON.stringify({ version: 424242 }),
    });
    expect(missing.status).toBe(404);
    expect((await call(`/t/${slug}/api/v1/models/not-a-model`, { bearer: token('operator') })).status).toBe(400);
  });

  describe('role matrix: one test per route and role', () => {
    const rows = () =>
      app.routeTable.specs
        .filter((s) => Array.isArray(s.access))
        .map((s) => ({ method: s.method, path: s.path, access: s.access as readonly UserRole[] }));
    it('covers every tenant route', () => expect(rows().length).toBeGreaterThan(8));
    for (const role of ROLES)
      it(`as ${role}: allowed routes pass the role check, the others are 403`, async () => {
        for (const r of rows()) {
          // A body with a field no route accepts: a permitted write stops at validation (400), so the
          // probe starts no day and decides nothing; never 403.
          const hasBody = r.method !== 'get';
          const res = await call(r.path.replace(':slug', slug), {
            method: r.method.toUpperCase(),
            bearer: token(role),
            ...(hasBody && r.path.endsWith('reconciliations') ? {} : hasBody ? { body: '{"roleProbe":1}' } : {}),
          });
          const label = `${role} ${r.method} ${r.path} → ${res.status}`;
          if (r.access.includes(role)) expect([label, res.status === 403]).toEqual([label, false]);
          else expect(label).toBe(`${role} ${r.method} ${r.path} → 403`);
        }
      });
  });
});
