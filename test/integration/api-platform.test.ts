/** @jest-environment ./ml/onnx/jest-environment.js */
/**
 * The platform's view and the session's end, over real HTTP on real Postgres and Temporal:
 * GET /api/v1/tenants for platform operators (each tenant's broker, arming, trading day, kill
 * switches, P&L; 403 for a platform trader, 404 for any other tenant's session); logout (the token is
 * refused afterwards by bearer, by cookie and at the Socket.IO handshake, on every API node, and its open
 * sockets are closed; the cookie is cleared; a new login works); the decision's link to the Temporal Web UI
 * only when one is configured.
 */
import { io as connectClient, type Socket } from 'socket.io-client';
import { issueSession } from '../../api/session';
import type { ApiServer } from '../../api/server';
import { PLATFORM_TENANT_ID } from '../../db/schema/tenants';
import { withTenant } from '../../db/tenant';
import { createUser } from '../../db/tenants';
import { startTestApi, startTestApiServer, type TestApi } from '../support/api-harness';
import { testPool } from '../support/env';
import { createTenant } from '../support/orders-env';

const SECRET = 'p'.repeat(40);
const DATE = '2026-05-08';
const PASSWORD = 'a platform test password';

describe('platform tenants list, logout, Temporal Web UI links', () => {
  const pool = testPool('app');
  let api: TestApi;
  let withUi: TestApi;
  let halted: { id: number; slug: string };
  let quiet: { id: number; slug: string };
  const platform = (role: string) => issueSession(SECRET, { userId: 1, tenantId: PLATFORM_TENANT_ID, role });

  beforeAll(async () => {
    halted = await createTenant(pool, 'plat-h');
    quiet = await createTenant(pool, 'plat-q');
    await withTenant(pool, halted.id, async ({ client }) => {
      await client.query(
        `INSERT INTO trading_days (tenant_id, trading_date, workflow_id, run_id, mode, status, final_state,
                                   decisions, trades, refusals, pnl, costs, max_drawdown, summary)
         VALUES ($1, $2, 'wf', 'run', 'live', 'completed', 'HALTED', 12, 3, '{}', -1234.50, 80, 2000, '{}')`,
        [halted.id, DATE],
      );
      await client.query(
        `INSERT INTO kill_switches (tenant_id, scope, target, active, reason)
         VALUES ($1, 'tenant', '', true, 'platform test'), ($1, 'instrument', 'NIFTY', false, 'cleared')`,
        [halted.id],
      );
      await client.query(
        `INSERT INTO decisions (tenant_id, id, trading_date, workflow_id, run_id, structure, instrument, lots,
                                why, status)
         VALUES ($1, 'ui-d1', $2, 'trading-day/x/2026-05-08', 'run-1', 'NONE', 'NIFTY', 0,
                 '{"decisionId":"ui-d1","status":"abstain","gates":[],"reasons":[],"instrument":"NIFTY"}', 'abstain')`,
        [halted.id, DATE],
      );
    });
    [api, withUi] = await Promise.all([
      startTestApi({ pool, sessionSecret: SECRET }),
      startTestApi({ pool, sessionSecret: SECRET, namespace: 'qs ns', temporalUiUrl: 'https://ops.example/temporal' }),
    ]);
  });
  afterAll(() => Promise.all([api?.close(), withUi?.close()]));

  it("lists every tenant for a platform operator: broker, arming, the day's state and P&L, kill switches", async () => {
    const res = await api.call(`/api/v1/tenants?date=${DATE}`, { bearer: platform('operator') });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { date: string; tenants: Array<Record<string, unknown>> };
    expect(body.date).toBe(DATE);
    const bySlug = Object.fromEntries(body.tenants.map((t) => [t.slug, t]));
    expect(bySlug[halted.slug]).toEqual({
      id: halted.id,
      slug: halted.slug,
      name: `Tenant ${halted.slug}`,
      status: 'active',
      broker: 'paper',
      liveArmed: false,
      day: {
        date: DATE,
        running: false,
        state: 'HALTED',
        paused: false,
        phase: null,
        decisions: 12,
        trades: 3,
        pnl: '-1234.50',
      },
      activeKillSwitches: 1,
      dashboard: `/t/${halted.slug}/`,
    });
    // No day on that date: no workflow, no summary.
    expect(bySlug[quiet.slug]).toMatchObject({ day: null, activeKillSwitches: 0, dashboard: `/t/${quiet.slug}/` });
    expect(bySlug.platform).toBeUndefined();
    // An admin of the platform too.
    expect((await api.call(`/api/v1/tenants?date=${DATE}`, { bearer: platform('admin') })).status).toBe(200);
  });

  it('401 without a session, 403 for a platform trader, 404 for any tenant session, 400 for a bad date', async () => {
    expect((await api.call('/api/v1/tenants')).status).toBe(401);
    expect((await api.call('/api/v1/tenants', { bearer: platform('trader') })).status).toBe(403);
    const tenantOps = issueSession(SECRET, { userId: 1, tenantId: halted.id, role: 'admin' });
    const res = await api.call('/api/v1/tenants', { bearer: tenantOps });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(quiet.slug);
    const bad = await api.call('/api/v1/tenants?date=2026-02-30', { bearer: platform('operator') });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual([
      'query.date',
    ]);
    const extra = await api.call('/api/v1/tenants?slug=x', { bearer: platform('operator') });
    expect(extra.status).toBe(400);
  });

  it('logout: the token is refused afterwards (bearer, cookie, Socket.IO, every node); a new login works', async () => {
    const email = `ops@${quiet.slug}.test`;
    await createUser(pool, quiet.id, { email, role: 'operator', password: PASSWORD });
    const login = async () => {
      const res = await api.call('/api/v1/auth/login', {
        method: 'POST',
        body: JSON.stringify({ tenant: quiet.slug, email, password: PASSWORD }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { token: string }).token;
    };
    const token = await login();
    // Another login of the same user (another device), likely within the same second: its own session.
    const elsewhere = await login();
    expect(elsewhere).not.toBe(token);
    const me = (t: string, via: TestApi = api) => via.call(`/t/${quiet.slug}/api/v1/me`, { bearer: t });
    const byCookie = (t: string) =>
      api.call(`/t/${quiet.slug}/api/v1/me`, { headers: { cookie: `qs_session=${encodeURIComponent(t)}` } });
    expect((await me(token)).status).toBe(200);
    expect((await byCookie(token)).status).toBe(200);

    // A cookie session's logout is a write: it needs the CSRF token like any other.
    expect(
      (await api.call('/api/v1/auth/logout', { method: 'POST', headers: { cookie: `qs_session=${token}` } })).status,
    ).toBe(403);
    expect((await me(token)).status).toBe(200);

    const out = await api.call('/api/v1/auth/logout', { method: 'POST', bearer: token });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ loggedOut: true });
    expect(out.headers.getSetCookie()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^qs_session=;.*Expires=Thu, 01 Jan 1970/)]),
    );
    for (const res of [await me(token), await me(token, withUi), await byCookie(token)]) {
      expect(res.status).toBe(401);
      expect(((await res.json()) as { detail: string }).detail).toBe('this session was logged out: log in again');
    }
    // Logging out twice is not an error worth a 500: the token is simply no longer a session.
    expect((await api.call('/api/v1/auth/logout', { method: 'POST', bearer: token })).status).toBe(401);
    // The other device's session goes on.
    expect((await me(elsewhere)).status).toBe(200);

    const [server, second]: ApiServer[] = await Promise.all([startTestApiServer(SECRET), startTestApiServer(SECRET)]);
    const sockets: Socket[] = [];
    const open = (url: string, t: string) => {
      const s = connectClient(url, { auth: { token: t }, transports: ['websocket'], reconnection: false });
      sockets.push(s);
      return s;
    };
    try {
      const handshake = (t: string) =>
        new Promise<string>((resolve) => {
          const s = open(server.url, t);
          s.on('connect', () => (s.close(), resolve('connected')));
          s.on('connect_error', (e) => (s.close(), resolve(e.message)));
        });
      expect(await handshake(token)).toBe('unauthenticated');
      const fresh = await login();
      expect(await handshake(fresh)).toBe('connected');
      expect((await me(fresh)).status).toBe(200);

      // Sockets already open when their session logs out are closed by the server, on every node.
      const live = [open(server.url, elsewhere), open(second.url, elsewhere)];
      await Promise.all(live.map((s) => new Promise<void>((r) => s.once('connect', () => r()))));
      const ended = live.map((s) => new Promise<string>((r) => s.once('disconnect', (reason) => r(reason))));
      const out2 = await fetch(`${second.url}/api/v1/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${elsewhere}` },
      });
      expect(out2.status).toBe(200);
      expect(await Promise.all(ended)).toEqual(['io server disconnect', 'io server disconnect']);
    } finally {
      for (const s of sockets) s.close();
      await Promise.all([server.close(), second.close()]);
    }
  });

  it('links a decision to its workflow in the Temporal Web UI only when the UI is configured', async () => {
    const bearer = issueSession(SECRET, { userId: 1, tenantId: halted.id, role: 'trader' });
    const workflowUrl = async (via: TestApi) => {
      const res = await via.call(`/t/${halted.slug}/api/v1/decisions/ui-d1`, { bearer });
      expect(res.status).toBe(200);
      return ((await res.json()) as { decision: { workflowUrl: string | null } }).decision.workflowUrl;
    };
    expect(await workflowUrl(api)).toBeNull();
    expect(await workflowUrl(withUi)).toBe(
      'https://ops.example/temporal/namespaces/qs%20ns/workflows/trading-day%2Fx%2F2026-05-08/run-1/history',
    );
  });
});
