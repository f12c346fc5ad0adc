/** qs tenant / user commands: happy path, and bad input gets a clear message with nothing written. */
import { testEnv, testPool } from '../support/env';
import { runQs } from '../support/run-qs';
import { withTenant } from '../../db/tenant';

const env = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: testEnv().adminUrl,
  QS_APP_DATABASE_URL: testEnv().appUrl,
  QS_DATA_DIR: `${testEnv().tmp}/no-stack`,
  ...extra,
});

describe('qs tenant and qs user', () => {
  const app = testPool('app');
  const slug = `cli-${process.pid}`;
  const count = async (sql: string, params: unknown[] = []) => Number((await app.query(sql, params)).rows[0].n);

  it('creates and lists tenants, creates users with hashed passwords', async () => {
    const created = await runQs(['tenant', 'create', '--slug', slug, '--name', 'CLI Capital', '--json'], env());
    expect(created.code).toBe(0);
    const tenant = JSON.parse(created.stdout);
    expect(tenant).toMatchObject({ slug, name: 'CLI Capital', status: 'active', liveArmed: false });

    const list = await runQs(['tenant', 'list', '--json'], env());
    expect(JSON.parse(list.stdout).map((t: { slug: string }) => t.slug)).toContain(slug);

    const user = await runQs(
      ['user', 'create', '--tenant', slug, '--email', 'Trader@Example.com', '--role', 'trader'],
      env({ QS_USER_PASSWORD: 'correct horse battery' }),
    );
    expect(user.code).toBe(0);
    expect(user.stdout).toMatch(/created trader trader@example\.com/);
    const rows = await withTenant(app, tenant.id, ({ client }) =>
      client.query('SELECT email, role, password_hash FROM users'),
    );
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(rows.rows[0].password_hash).not.toContain('correct horse');
  });

  it.each([
    [
      'a duplicate slug',
      ['tenant', 'create', '--slug', `dup-${process.pid}`, '--name', 'Second'],
      /slug: a tenant "dup-\d+" already exists/,
    ],
    ['a malformed slug', ['tenant', 'create', '--slug', 'Bad Slug!', '--name', 'X'], /slug: must be 3-40 characters/],
    [
      'the reserved slug',
      ['tenant', 'create', '--slug', 'platform', '--name', 'X'],
      /slug: "platform" is reserved|already exists/,
    ],
    ['an empty name', ['tenant', 'create', '--slug', `empty-${process.pid}`, '--name', ' '], /name: must not be empty/],
  ])('tenant create with %s: clear message, nothing written', async (_what, args, message) => {
    await runQs(['tenant', 'create', '--slug', `dup-${process.pid}`, '--name', 'First'], env());
    const before = await count('SELECT count(*) AS n FROM tenants');
    const r = await runQs(args, env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await count('SELECT count(*) AS n FROM tenants')).toBe(before);
  });

  it.each([
    ['a bad email', ['--email', 'not-an-email', '--role', 'trader'], /email: must be an email address/],
    ['a bad role', ['--email', 'ok@example.com', '--role', 'god'], /role: must be one of operator, admin, trader/],
    [
      'a short password',
      ['--email', 'ok@example.com', '--role', 'trader'],
      /password: must be at least 12 characters/,
      'short',
    ],
    [
      'an unknown tenant',
      ['--email', 'ok@example.com', '--role', 'trader'],
      /tenant: no tenant with slug "nope-nope"/,
      undefined,
      'nope-nope',
    ],
  ])(
    'user create with %s: clear message, nothing written',
    async (_what, args, message, password = 'long enough password', tenant = slug) => {
      const { rows } = await app.query('SELECT id FROM tenants WHERE slug = $1', [slug]);
      const users = () =>
        withTenant(app, rows[0].id, ({ client }) => client.query('SELECT count(*)::int AS n FROM users')).then(
          (r) => r.rows[0].n,
        );
      const before = await users();
      const r = await runQs(['user', 'create', '--tenant', tenant, ...args], env({ QS_USER_PASSWORD: password }));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(await users()).toBe(before);
    },
  );

  it('asks for the password on a terminal only', async () => {
    const r = await runQs(['user', 'create', '--tenant', slug, '--email', 'x@example.com', '--role', 'admin'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/password: no terminal to prompt on; set QS_USER_PASSWORD/);
  });
});
