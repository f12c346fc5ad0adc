/**
 * The broker account and persona runs through the API on real Postgres and Temporal: Kite setup
 * (admins; the secret sealed, never returned), login URL, the request-token exchange against the
 * fake Kite over real HTTP, status; persona runs listed, started by operators (garbage named by
 * field), read back; another tenant reaches none of it.
 */
import { issueSession } from '../../api/session';
import { personaSimulationWorkflowId } from '../../contracts/personas';
import { startTestApi, type TestApi } from '../support/api-harness';
import { testClient, testPool } from '../support/env';
import { fakeKites, testKeys } from '../support/fake-kite';
import { createTenant } from '../support/orders-env';
import { until } from '../support/until';

jest.setTimeout(60_000);

const SECRET = 'k'.repeat(40);
const creds = { apiKey: 'apikey1', accessToken: 'token1', apiSecret: 'the-api-secret-1' };
const fakeKite = fakeKites(creds);

describe('API broker account and persona runs', () => {
  const pool = testPool('app');
  const superuser = testPool('super');
  let api: TestApi;
  let unsealed: TestApi;
  let tenant: { id: number; slug: string };
  let other: { id: number; slug: string };
  const started: string[] = [];
  const as = (role: string, t = tenant) => issueSession(SECRET, { userId: 5, tenantId: t.id, role });
  const send = (path: string, role: string, body?: unknown, t = tenant, server = api) =>
    server.call(`/t/${t.slug}/api/v1/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      bearer: as(role, t),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const fields = async (res: Response) =>
    ((await res.json()) as { errors?: Array<{ field: string }> }).errors?.map((e) => e.field) ?? [];

  beforeAll(async () => {
    tenant = await createTenant(pool, 'api-acct');
    other = await createTenant(pool, 'api-acct-o');
    api = await startTestApi({ pool, sessionSecret: SECRET, secretsKeys: testKeys() });
    unsealed = await startTestApi({ pool, sessionSecret: SECRET });
  });
  afterAll(async () => {
    const client = await testClient();
    for (const id of started)
      await client.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => undefined);
    await api?.close();
    await unsealed?.close();
  });

  it('Kite: admins set it up, the secret is sealed and never returned; login, session, status', async () => {
    const fake = await fakeKite();
    const setup = { apiKey: creds.apiKey, apiSecret: creds.apiSecret, baseUrl: fake.url, algoId: 'A7' };
    expect((await send('broker/kite/setup', 'operator', setup)).status).toBe(403);
    expect((await send('broker/kite/setup', 'admin', setup, tenant, unsealed)).status).toBe(503);
    for (const [body, field] of [
      [{ ...setup, marketProtection: 0 }, 'body.marketProtection'],
      [{ ...setup, baseUrl: 'ftp://example' }, 'body.baseUrl'],
      [{ ...setup, apiKey: 'has space' }, 'body.apiKey'],
      [{ ...setup, token: 'x' }, 'body'],
    ] as const) {
      const res = await send('broker/kite/setup', 'admin', body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      expect(await fields(res)).toContain(field);
    }
    const saved = await send('broker/kite/setup', 'admin', setup);
    expect(saved.status).toBe(200);
    const text = await saved.text();
    expect(text).not.toContain(creds.apiSecret);
    expect(JSON.parse(text)).toMatchObject({ secretStored: true, settings: { apiKey: creds.apiKey, algoId: 'A7' } });
    const raw = await superuser.query<{ row: string }>(
      'SELECT broker_accounts::text AS row FROM broker_accounts WHERE tenant_id = $1',
      [tenant.id],
    );
    expect(raw.rows[0].row).not.toContain(creds.apiSecret);

    const before = await send('broker/kite/status', 'trader');
    expect(await before.json()).toMatchObject({ live: false, sessionStatus: 'none', apiKey: creds.apiKey });
    const login = (await (await send('broker/kite/login-url', 'trader')).json()) as { loginUrl: string };
    expect(login.loginUrl).toContain(`api_key=${creds.apiKey}`);
    expect(await fields(await send('broker/kite/session', 'trader', { requestToken: 'bad token!' }))).toContain(
      'body.requestToken',
    );
    const refused = await send('broker/kite/session', 'trader', { requestToken: 'never-issued' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { code: string }).code).toBe('broker_refused');
    const session = await send('broker/kite/session', 'trader', { requestToken: fake.issueRequestToken() });
    const sessionText = await session.text();
    expect([session.status, sessionText]).toEqual([200, expect.stringContaining('expiresAt')]);
    expect(sessionText).not.toContain(creds.accessToken);
    expect(await (await send('broker/kite/status', 'trader')).json()).toMatchObject({ sessionStatus: 'active' });
    // Another tenant: no account of its own, and ours is out of reach.
    expect((await send('broker/kite/status', 'admin', undefined, other)).status).toBe(404);
    const intruder = issueSession(SECRET, { userId: 9, tenantId: other.id, role: 'admin' });
    expect((await api.call(`/t/${tenant.slug}/api/v1/broker/kite/status`, { bearer: intruder })).status).toBe(404);
  });

  it('persona runs: operators start them (garbage named), everyone lists and reads them', async () => {
    expect(await (await send('persona-runs', 'trader')).json()).toEqual({ runs: [] });
    const run = { days: 2, fromDate: '2025-01-06', personas: ['P01', 'P05'] };
    expect((await send('persona-runs', 'trader', run)).status).toBe(403);
    for (const [body, field] of [
      [{ ...run, personas: ['P99'] }, 'body.personas'],
      [{ ...run, personas: ['x'] }, 'body.personas.0'],
      [{ ...run, days: 0 }, 'body.days'],
      [{ ...run, fromDate: '2026-12-30', days: 5 }, 'body.days'],
      [{ ...run, seed: -1 }, 'body.seed'],
    ] as const) {
      const res = await send('persona-runs', 'operator', body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      expect(await fields(res)).toContain(field);
    }
    const res = await send('persona-runs', 'operator', run);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { simulationId: string; workflowId: string; status: string };
    started.push(body.workflowId);
    expect(body).toMatchObject({
      status: 'started',
      workflowId: personaSimulationWorkflowId(tenant.id, body.simulationId),
    });
    // The same request again: the same run, already running.
    expect(await (await send('persona-runs', 'admin', run)).json()).toMatchObject({
      simulationId: body.simulationId,
      status: 'already running',
    });
    const one = await send(`persona-runs/${body.simulationId}`, 'trader');
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ simulationId: body.simulationId, status: 'RUNNING', result: null });
    // Visibility catches up with a start shortly after it.
    const listed = await until('the run listed', async () => {
      const r = (await (await send('persona-runs', 'trader')).json()) as { runs: Array<{ simulationId: string }> };
      return r.runs.length > 0 && r;
    });
    expect(listed.runs.map((r) => r.simulationId)).toEqual([body.simulationId]);
    // Another tenant lists nothing and cannot read the run under its own slug.
    expect(await (await send('persona-runs', 'admin', undefined, other)).json()).toEqual({ runs: [] });
    expect((await send(`persona-runs/${body.simulationId}`, 'admin', undefined, other)).status).toBe(404);
    expect((await send('persona-runs/not-a-run', 'trader')).status).toBe(400);
  });
});
