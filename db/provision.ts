/**
 * Cluster-level provisioning that migrations cannot do: the two roles, the database and its
 * extensions. qs_admin owns the schema and runs migrations; qs_app is the runtime role, subject
 * to RLS (NOSUPERUSER, NOBYPASSRLS, owns nothing). Idempotent; needs a superuser connection (or a
 * managed server's admin role with CREATEROLE and CREATEDB). A role that exists keeps its
 * password unless a new one is given, so a re-run never locks out a running deployment.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withCredentials } from '../runtime/database';
import { DatabaseSetupError, explainDatabaseError } from './errors';

export interface ProvisionedUrls {
  adminUrl: string;
  appUrl: string;
}

export interface ProvisionReport extends ProvisionedUrls {
  /** What this run changed or found, one line each. */
  steps: string[];
  /** Passwords this run generated (roles it created without a given password): shown once. */
  generated: { qs_admin?: string; qs_app?: string };
}

export async function provisionDatabase(opts: {
  superUrl: string;
  database: string;
  adminPassword?: string;
  appPassword?: string;
  /** Must exist after provisioning; a server without one fails with its name. */
  requiredExtensions?: string[];
  /** Created when the server has them (TimescaleDB: hypertables instead of native partitions). */
  optionalExtensions?: string[];
}): Promise<ProvisionReport> {
  const steps: string[] = [];
  const generated: ProvisionReport['generated'] = {};
  const passwords: Record<'qs_admin' | 'qs_app', string | undefined> = {
    qs_admin: opts.adminPassword,
    qs_app: opts.appPassword,
  };
  await withClient(opts.superUrl, async (su) => {
    for (const [role, attrs] of [
      ['qs_admin', 'NOSUPERUSER NOBYPASSRLS CREATEROLE'],
      ['qs_app', 'NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB'],
    ] as const) {
      const r = await ensureRole(su, role, passwords[role], attrs);
      if (r.generated) passwords[role] = generated[role] = r.generated;
      steps.push(r.line);
    }
    const exists = await su.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (exists.rowCount === 0) {
      // A managed server's admin is no superuser: it must be a member of the owner it names.
      const me = await su.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
      if (!me.rows[0]?.rolsuper) await su.query('GRANT qs_admin TO CURRENT_USER');
      await su.query(`CREATE DATABASE ${ident(opts.database)} OWNER qs_admin`);
      steps.push(`created database ${opts.database} (owner qs_admin)`);
    } else steps.push(`database ${opts.database} exists`);
  });
  // Inside the database: the public schema belongs to qs_admin; qs_app may only use it.
  const dbUrl = withDatabase(opts.superUrl, opts.database);
  await withClient(dbUrl, async (c) => {
    await c.query('ALTER SCHEMA public OWNER TO qs_admin');
    await c.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await c.query('GRANT USAGE ON SCHEMA public TO qs_app');
    const available = new Set(
      (await c.query<{ name: string }>('SELECT name FROM pg_available_extensions')).rows.map((r) => r.name),
    );
    for (const ext of opts.requiredExtensions ?? []) {
      if (!available.has(ext))
        throw new DatabaseSetupError(
          `extension ${ext} is not available on this server: ` +
            'install it (or enable it with your provider), then run again',
        );
      await c.query(`CREATE EXTENSION IF NOT EXISTS ${ident(ext)}`);
      steps.push(`extension ${ext} is installed`);
    }
    for (const ext of opts.optionalExtensions ?? []) {
      if (!available.has(ext)) {
        steps.push(`extension ${ext} is not available on this server (optional; skipped)`);
        continue;
      }
      await c.query(`CREATE EXTENSION IF NOT EXISTS ${ident(ext)}`);
      steps.push(`extension ${ext} is installed`);
    }
  });
  return {
    adminUrl: withCredentials(dbUrl, 'qs_admin', passwords.qs_admin ?? ''),
    appUrl: withCredentials(dbUrl, 'qs_app', passwords.qs_app ?? ''),
    steps,
    generated,
  };
}

async function withClient(url: string, fn: (c: Client) => Promise<void>): Promise<void> {
  const c = new Client({ connectionString: url });
  try {
    await c.connect();
    await fn(c);
  } catch (err) {
    throw explainDatabaseError(err, url, 'the superuser URL');
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function ensureRole(
  c: Client,
  name: string,
  password: string | undefined,
  attrs: string,
): Promise<{ line: string; generated?: string }> {
  const r = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  const exists = r.rowCount !== 0;
  const generated = !exists && password === undefined ? randomBytes(24).toString('base64url') : undefined;
  const pw = password ?? generated;
  // Passwords cannot be bound parameters in DDL; quote them as literals.
  await c.query(
    `${exists ? 'ALTER' : 'CREATE'} ROLE ${ident(name)} LOGIN ${attrs}` +
      (pw === undefined ? '' : ` PASSWORD ${literal(pw)}`),
  );
  const line = exists
    ? `role ${name} exists${pw === undefined ? ' (password unchanged)' : ' (password set)'}`
    : `created role ${name}${generated ? ' (generated password)' : ''}`;
  return { line, generated };
}

function ident(s: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`unsafe identifier: ${s}`);
  return s;
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Turns on login for a role a migration created NOLOGIN (qs_persona), with a password the
 * operator chose: containers cannot derive the stack's password, so the one-shot migrate
 * service sets it from QS_PERSONA_DB_PASSWORD. Run as the schema owner; idempotent.
 */
export async function enableRoleLogin(adminUrl: string, role: 'qs_persona', password: string): Promise<void> {
  await withClient(adminUrl, async (c) => {
    await c.query(`ALTER ROLE ${ident(role)} LOGIN PASSWORD ${literal(password)}`);
  });
}
