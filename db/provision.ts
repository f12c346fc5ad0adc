/**
 * Cluster-level provisioning that migrations cannot do: the two roles and the database.
 * qs_admin owns the schema and runs migrations; qs_app is the runtime role, subject to RLS
 * (NOSUPERUSER, NOBYPASSRLS, owns nothing). Idempotent; needs a superuser connection.
 */
import { Client } from 'pg';
import { withCredentials } from '../runtime/database';

export interface ProvisionedUrls {
  adminUrl: string;
  appUrl: string;
}

export async function provisionDatabase(opts: {
  superUrl: string;
  database: string;
  adminPassword: string;
  appPassword: string;
}): Promise<ProvisionedUrls> {
  const su = new Client({ connectionString: opts.superUrl });
  await su.connect();
  try {
    await ensureRole(su, 'qs_admin', opts.adminPassword, 'NOSUPERUSER NOBYPASSRLS CREATEROLE');
    await ensureRole(su, 'qs_app', opts.appPassword, 'NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB');
    const exists = await su.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (exists.rowCount === 0) await su.query(`CREATE DATABASE ${ident(opts.database)} OWNER qs_admin`);
  } finally {
    await su.end();
  }
  // Inside the database: the public schema belongs to qs_admin; qs_app may only use it.
  const dbUrl = withDatabase(opts.superUrl, opts.database);
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    await c.query('ALTER SCHEMA public OWNER TO qs_admin');
    await c.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await c.query('GRANT USAGE ON SCHEMA public TO qs_app');
  } finally {
    await c.end();
  }
  return {
    adminUrl: withCredentials(dbUrl, 'qs_admin', opts.adminPassword),
    appUrl: withCredentials(dbUrl, 'qs_app', opts.appPassword),
  };
}

async function ensureRole(c: Client, name: string, password: string, attrs: string): Promise<void> {
  const r = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  const verb = r.rowCount === 0 ? 'CREATE' : 'ALTER';
  // Passwords cannot be bound parameters in DDL; quote them as literals.
  await c.query(`${verb} ROLE ${ident(name)} LOGIN ${attrs} PASSWORD ${literal(password)}`);
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
