/**
 * qs tenant / user commands: happy path, and bad input gets a clear message with nothing written;
 * data printed without terminal control characters; the pure domain commands' flags (no stack
 * needed) refused in one line naming the flag.
 */
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
    [
      'an escape sequence in the name',
      ['tenant', 'create', '--slug', `esc-${process.pid}`, '--name', 'Evil \u001b[2J\u001b]0;pwned\u0007 Capital'],
      /^qs: name: must not contain control characters\n$/,
    ],
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

  it('prints data without its control characters (a name stored before names were checked)', async () => {
    const raw = `raw-${process.pid}`;
    await app.query('INSERT INTO tenants (slug, name) VALUES ($1, $2)', [
      raw,
      'Red \u001b[31mAlert\u001b[0m\u0007 Ltd',
    ]);
    const list = await runQs(['tenant', 'list'], env());
    expect(list.code).toBe(0);
    const line = list.stdout.split('\n').find((l) => l.includes(raw))!;
    expect(line).toMatch(/ Red Alert Ltd$/);
    expect([...list.stdout].filter((c) => c !== '\n' && (c < ' ' || (c >= '\u007f' && c <= '\u009f')))).toEqual([]);
    // JSON keeps the stored value, escaped by JSON itself.
    const json = await runQs(['tenant', 'list', '--json'], env());
    expect(JSON.parse(json.stdout).find((t: { slug: string }) => t.slug === raw).name).toBe(
      'Red \u001b[31mAlert\u001b[0m\u0007 Ltd',
    );
    // A user's own flag value echoed in an error is made printable too.
    const echoed = await runQs(['tenant', 'list', '--bogus\u001b[31m'], env());
    expect(echoed.code).toBe(2);
    expect(echoed.stderr).toBe("qs: unknown option '--bogus[31m'\n".replace('[31m', ''));
  });

  it.each([
    [
      ['price', '--type', 'put', '--forward', '0x10', '--strike', '16', '--years', '0.1', '--vol', '0.2'],
      /^qs: --forward: /,
    ],
    [
      ['price', '--type', 'put', '--forward', '100', '--strike', '1e2', '--years', '0.1', '--vol', '0.2'],
      /^qs: --strike: /,
    ],
    [['price', '--type', 'put', '--forward', '100', '--strike', '100', '--years', 'Infinity'], /^qs: --years: /],
    [['chain', '--date', '1900-01-02'], /^qs: --date: 1900-01-02 is outside the data \(/],
    [['sim', '--date', '9999-12-31'], /^qs: --date: 9999-12-31 is outside the data/],
    [
      ['chain', '--date', '2026-05-05', '--seed', '0x10'],
      /^qs: --seed: expected a non-negative integer, got "0x10"\n$/,
    ],
    [['chain', '--date', '2026-05-05', '--strikes', '0'], /^qs: --strikes: expected a positive integer, got "0"\n$/],
  ])('domain command %j: exit 2, one line naming the flag', async (args, message) => {
    const r = await runQs(args, env());
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('qs costs prices only dates the rate tables and calendar cover, naming the field', async () => {
    const leg = (date: string) => JSON.stringify([{ instrument: 'NIFTY', side: 'SELL', lots: 1, price: '100', date }]);
    const far = await runQs(['costs'], env(), leg('9999-12-31'));
    expect(far).toMatchObject({ code: 2, stdout: '' });
    expect(far.stderr).toMatch(/^qs: legs\[0\]\.date: outside the data \(.*2025-01-01 to 2026-12-31\)\n$/);
    const ok = await runQs(['costs'], env(), leg('2026-05-05'));
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).total).toMatch(/^\d+\.\d{2}$/);
  });

  it('asks for the password on a terminal only', async () => {
    const r = await runQs(['user', 'create', '--tenant', slug, '--email', 'x@example.com', '--role', 'admin'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/password: no terminal to prompt on; set QS_USER_PASSWORD/);
  });
});
