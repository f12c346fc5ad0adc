/**
 * Users through the real API: an admin invites (a single-use token), the invitee sets a password
 * and logs in; password reset tokens are single-use and expire; role changes keep one admin;
 * every step is in the audit log.
 */
import { issueSession } from '../../api/session';
import { createTenant, createUser } from '../../db/tenants';
import { testPool } from '../support/env';
import { startTestApi, type TestApi } from '../support/api-harness';

const SECRET = 'u'.repeat(40);

describe('users: invitations, password resets, roles', () => {
  const pool = testPool('app');
  const superuser = testPool('super');
  let api: TestApi;
  const slug = `api-u-${process.pid}`;
  let tenantId: number;
  let adminId: number;
  let adminToken: string;

  beforeAll(async () => {
    tenantId = (await createTenant(pool, { slug, name: 'Users' })).id;
    adminId = (await createUser(pool, tenantId, { email: 'boss@u.test', role: 'admin', password: 'a good password!' }))
      .id;
    adminToken = issueSession(SECRET, { userId: adminId, tenantId, role: 'admin' });
    api = await startTestApi({ pool, sessionSecret: SECRET });
  });
  afterAll(() => api?.close());

  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const login = (email: string, password: string) => post('/api/v1/auth/login', { tenant: slug, email, password });
  const events = async () =>
    (
      await superuser.query<{ event_type: string }>(
        "SELECT event_type FROM audit_log WHERE tenant_id = $1 AND event_type LIKE 'user.%' ORDER BY seq",
        [tenantId],
      )
    ).rows.map((r) => r.event_type);

  it('invite → accept once → log in; a used, a forged or an expired token is refused alike', async () => {
    const invited = await post(
      `/t/${slug}/api/v1/users/invitations`,
      { email: 'New@u.test', role: 'trader' },
      adminToken,
    );
    expect(invited.status).toBe(201);
    const { token } = (await invited.json()) as { token: string };
    const accept = (t: string) =>
      post('/api/v1/auth/invitations/accept', { tenant: slug, token: t, password: 'my own password' });
    expect((await accept(token)).status).toBe(200);
    expect((await login('new@u.test', 'my own password')).status).toBe(200);
    const again = await accept(token);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 'bad_request', detail: 'token: unknown, used or expired' });
    expect((await accept('A'.repeat(43))).status).toBe(400);
    // An expired invitation is refused like a used one.
    const second = await post(
      `/t/${slug}/api/v1/users/invitations`,
      { email: 'late@u.test', role: 'trader' },
      adminToken,
    );
    const late = ((await second.json()) as { token: string }).token;
    await superuser.query(
      "UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE tenant_id = $1 AND email = 'late@u.test'",
      [tenantId],
    );
    expect((await accept(late)).status).toBe(400);
    const dup = await post(`/t/${slug}/api/v1/users/invitations`, { email: 'new@u.test', role: 'admin' }, adminToken);
    expect(dup.status).toBe(409);
    expect(await events()).toEqual(expect.arrayContaining(['user.invited', 'user.invitation_accepted', 'user.login']));
  });

  it('a password reset token sets a new password once; the old password stops working', async () => {
    const user = await createUser(pool, tenantId, {
      email: 'forgetful@u.test',
      role: 'operator',
      password: 'old password 1',
    });
    const issued = await post(`/t/${slug}/api/v1/users/${user.id}/password-reset`, {}, adminToken);
    expect(issued.status).toBe(201);
    const { token } = (await issued.json()) as { token: string };
    const reset = () => post('/api/v1/auth/password-reset', { tenant: slug, token, password: 'new password 22' });
    expect((await reset()).status).toBe(200);
    expect((await reset()).status).toBe(400);
    expect((await login('forgetful@u.test', 'old password 1')).status).toBe(401);
    expect((await login('forgetful@u.test', 'new password 22')).status).toBe(200);
    // No such user: 404.
    expect((await post(`/t/${slug}/api/v1/users/999999/password-reset`, {}, adminToken)).status).toBe(404);
    expect(await events()).toEqual(expect.arrayContaining(['user.password_reset_issued', 'user.password_reset']));
  });

  it('changes roles (audited) and never leaves the tenant without an admin; only admins manage users', async () => {
    const ops = await createUser(pool, tenantId, {
      email: 'ops@u.test',
      role: 'operator',
      password: 'a good password!',
    });
    const promote = await post(`/t/${slug}/api/v1/users/${ops.id}/role`, { role: 'admin' }, adminToken);
    expect(promote.status).toBe(200);
    expect(await promote.json()).toMatchObject({ user: { id: ops.id, role: 'admin' } });
    expect((await post(`/t/${slug}/api/v1/users/${adminId}/role`, { role: 'trader' }, adminToken)).status).toBe(200);
    const last = await post(`/t/${slug}/api/v1/users/${ops.id}/role`, { role: 'trader' }, adminToken);
    expect(last.status).toBe(409);
    expect(await last.json()).toMatchObject({ detail: 'role: the tenant would be left without an admin' });
    const trader = issueSession(SECRET, { userId: adminId, tenantId, role: 'trader' });
    expect(
      (await post(`/t/${slug}/api/v1/users/invitations`, { email: 'x@u.test', role: 'admin' }, trader)).status,
    ).toBe(403);
    const { rows } = await superuser.query<{ payload: { from: string; to: string } }>(
      "SELECT payload FROM audit_log WHERE tenant_id = $1 AND event_type = 'user.role_changed' ORDER BY seq",
      [tenantId],
    );
    expect(rows.map((r) => [r.payload.from, r.payload.to])).toEqual([
      ['operator', 'admin'],
      ['admin', 'trader'],
    ]);
  });
});
