/**
 * An external PostgreSQL (a fresh server, as a managed one arrives): before provisioning, every
 * failure names its cause and fix, never a bare "Failed query"; `qs db provision` creates roles,
 * database and grants idempotently; `qs db migrate` and a whole stack then run on it through
 * DATABASE_URL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../runtime/ports';
import { withCredentials } from '../../runtime/database';
import { runQs } from '../support/run-qs';
import { startFreshPostgres, FreshPostgres } from '../support/fresh-postgres';
import { startStack, stopWithSigint, testStack } from '../support/stack-harness';

jest.setTimeout(300_000);

let pg: FreshPostgres;
let dbUrl: (user: string, password: string) => string;

beforeAll(async () => {
  pg = await startFreshPostgres();
  dbUrl = (user, password) => {
    const u = new URL(withCredentials(pg.superUrl, user, password));
    u.pathname = '/quantsentinel';
    return u.toString();
  };
});
afterAll(async () => {
  await pg?.stop();
});

const noBareFailure = (stderr: string) => {
  expect(stderr).not.toMatch(/Failed query|params:/);
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe('an external PostgreSQL', () => {
  it('before provisioning: a missing role names `qs db provision`', async () => {
    const r = await runQs(['db', 'migrate'], { DATABASE_URL: dbUrl('qs_admin', 'admin-pw') });
    expect(r.code).toBe(2);
    // Postgres answers an unknown role as it does a wrong password, so the message gives both fixes.
    expect(r.stderr.trim()).toBe(
      `qs: password authentication failed for role qs_admin at 127.0.0.1:${pg.port}: either the role does not ` +
        'exist yet (create the roles and the database with `npx qs db provision --superuser-url <url>`) or the ' +
        'password in DATABASE_URL is wrong',
    );
    noBareFailure(r.stderr);
  });

  it('a hand-made database without qs_app: migrate names the missing role, not "Failed query"', async () => {
    const su = new Client({ connectionString: pg.superUrl });
    await su.connect();
    try {
      await su.query("CREATE ROLE qs_admin LOGIN CREATEROLE PASSWORD 'admin-pw'");
      await su.query('CREATE DATABASE quantsentinel OWNER qs_admin');
    } finally {
      await su.end();
    }
    const r = await runQs(['db', 'migrate'], { DATABASE_URL: dbUrl('qs_admin', 'admin-pw') });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `qs: role qs_app does not exist at 127.0.0.1:${pg.port}: create the roles with ` +
        '`npx qs db provision --superuser-url <url>`',
    );
    noBareFailure(r.stderr);
  });

  it('an unreachable host names the host and the variable', async () => {
    const port = await freePort();
    const r = await runQs(['db', 'status'], { DATABASE_URL: `postgres://qs_admin:x@127.0.0.1:${port}/quantsentinel` });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`qs: cannot reach PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED)`);
    expect(r.stderr).toContain('DATABASE_URL');
    noBareFailure(r.stderr);
  });

  it('`qs db provision` creates roles, database and grants, idempotently; a missing extension is named', async () => {
    const env = { QS_SUPERUSER_URL: pg.superUrl, QS_ADMIN_DB_PASSWORD: 'admin-pw', QS_APP_DB_PASSWORD: 'app-pw' };
    const first = await runQs(['db', 'provision'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('role qs_admin exists (password set)');
    expect(first.stdout).toContain('created role qs_app');
    expect(first.stdout).toContain('database quantsentinel exists');
    expect(first.stdout).toContain('extension timescaledb is not available on this server (optional; skipped)');
    expect(first.stdout).toContain(`DATABASE_URL=postgres://qs_admin:•••@127.0.0.1:${pg.port}/quantsentinel`);

    const again = await runQs(['db', 'provision'], { ...env, QS_ADMIN_DB_PASSWORD: '', QS_APP_DB_PASSWORD: '' });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('role qs_admin exists (password unchanged)');
    expect(again.stdout).toContain('database quantsentinel exists');
    expect(again.stdout).not.toContain('created');

    const c = new Client({ connectionString: dbUrl('qs_app', 'app-pw') }); // the password survived the re-run
    await c.connect();
    try {
      const r = await c.query('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user');
      expect(r.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    } finally {
      await c.end();
    }

    const ext = await runQs(['db', 'provision', '--extension', 'no_such_extension'], env);
    expect(ext.code).toBe(2);
    expect(ext.stderr).toContain('qs: extension no_such_extension is not available on this server: install it');
  });

  it('a wrong password names the role and where to fix it', async () => {
    const r = await runQs(['db', 'migrate'], { DATABASE_URL: dbUrl('qs_admin', 'wrong') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `qs: password authentication failed for role qs_admin at 127.0.0.1:${pg.port}: either the role does not exist`,
    );
    noBareFailure(r.stderr);
  });

  it('`qs db migrate` and a stack run on it through DATABASE_URL', async () => {
    const migrate = await runQs(['db', 'migrate'], { DATABASE_URL: dbUrl('qs_admin', 'admin-pw') });
    expect(migrate.stderr).toBe('');
    expect(migrate.stdout).toMatch(/^applied: 0000_init, /);
    const login = await runQs(['db', 'persona-login'], {
      DATABASE_URL: dbUrl('qs_admin', 'admin-pw'),
      QS_PERSONA_DB_PASSWORD: 'persona-pw',
    });
    expect(login.code).toBe(0);
    const persona = new Client({ connectionString: dbUrl('qs_persona', 'persona-pw') });
    await persona.connect();
    try {
      // Rule 2's role: synthetic trades only, no ledger.
      await expect(persona.query('SELECT 1 FROM orders LIMIT 1')).rejects.toThrow(/permission denied/);
    } finally {
      await persona.end();
    }

    const stack = await testStack('ops-external-pg-stack');
    stack.env.DATABASE_URL = dbUrl('qs_admin', 'admin-pw');
    stack.env.QS_APP_DB_PASSWORD = 'app-pw';
    const { child, output } = await startStack(stack);
    try {
      expect(output()).toContain('Using DATABASE_URL');
      expect(output()).toContain('Database schema is up to date');
      const ready = await fetch(`${stack.apiUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(output()).toContain('Demo tenant  demo created');
      // The stack's data went to the external server: the first-run tenant is there (superuser: no RLS).
      const c = new Client({ connectionString: pg.superUrl.replace(/\/postgres$/, '/quantsentinel') });
      await c.connect();
      try {
        const r = await c.query("SELECT count(*)::int AS n FROM tenants WHERE slug = 'demo'");
        expect(r.rows[0].n).toBe(1);
      } finally {
        await c.end();
      }
      expect(fs.existsSync(path.join(stack.dataDir, 'postgres'))).toBe(false); // no embedded server
    } finally {
      expect(await stopWithSigint(child)).toBe(0);
    }
  });
});
