/**
 * Database failures a user can fix, named with their cause and the fix instead of a bare
 * "Failed query … params:" (drizzle's wrapper) or a driver message without context: a missing
 * role or database, a wrong password, an unreachable host, a missing extension, a role without
 * the privilege. Anything else is returned unchanged.
 */

/** A database problem the operator fixes (configuration, provisioning), not a bug. */
export class DatabaseSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseSetupError';
  }
}

interface PgLike {
  code?: string;
  message?: string;
  hostname?: string;
  address?: string;
  port?: number;
}

const PROVISION = '`npx qs db provision --superuser-url <url>`';

/** The first error in the cause chain that carries a Postgres or network code. */
function rootCause(err: unknown): PgLike | undefined {
  for (let e = err as (PgLike & { cause?: unknown }) | undefined, i = 0; e && i < 5; i++) {
    if (typeof e.code === 'string') return e;
    e = e.cause as typeof e;
  }
  return undefined;
}

function where(url: string | undefined): { at: string; user: string; db: string } {
  try {
    const u = new URL(url ?? '');
    return { at: `${u.hostname}:${u.port || 5432}`, user: decodeURIComponent(u.username), db: u.pathname.slice(1) };
  } catch {
    return { at: 'the database', user: '?', db: '?' };
  }
}

/**
 * `url`: the connection that failed; `urlVar`: the variable it came from (DATABASE_URL,
 * QS_APP_DATABASE_URL), named in the fix.
 */
export function explainDatabaseError(err: unknown, url?: string, urlVar = 'DATABASE_URL'): Error {
  const e = rootCause(err);
  if (!e) return err as Error;
  const { at, user, db } = where(url);
  const msg = e.message ?? '';
  const named = (m: RegExpMatchArray | null) => m?.[1] ?? '?';
  switch (e.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return new DatabaseSetupError(
        `cannot reach PostgreSQL at ${at} (${e.code}): is the server running and the host/port in ${urlVar} right?`,
      );
    case '28P01':
      // The server answers a role that does not exist exactly like a wrong password (by design).
      return new DatabaseSetupError(
        `password authentication failed for role ${user} at ${at}: either the role does not exist yet ` +
          `(create the roles and the database with ${PROVISION}) or the password in ${urlVar}` +
          (user === 'qs_app' ? ' (or QS_APP_DB_PASSWORD)' : '') +
          ' is wrong',
      );
    case '28000': {
      const role = named(msg.match(/role "([^"]+)" does not exist/));
      return new DatabaseSetupError(
        role !== '?'
          ? `role ${role} does not exist at ${at}: create the roles and the database with ${PROVISION}`
          : `${msg} (at ${at}): allow role ${user} in the server's pg_hba.conf or your provider's network settings`,
      );
    }
    case '3D000':
      return new DatabaseSetupError(`database ${db} does not exist at ${at}: create it with ${PROVISION}`);
    case '42704': {
      const role = named(msg.match(/role "([^"]+)" does not exist/));
      if (role !== '?')
        return new DatabaseSetupError(`role ${role} does not exist at ${at}: create the roles with ${PROVISION}`);
      break;
    }
    case '58P01':
    case '0A000':
    case '42883': {
      const ext = named(msg.match(/extension "([^"]+)"/));
      if (ext !== '?' || /extension/.test(msg))
        return new DatabaseSetupError(
          `extension ${ext} is not available at ${at}: install it on the server or enable it with your provider ` +
            `(${msg})`,
        );
      break;
    }
    case '42501':
      return new DatabaseSetupError(
        `permission denied for role ${user} at ${at} (${msg}): ${urlVar} must name the schema owner qs_admin; ` +
          `provision it with ${PROVISION}`,
      );
  }
  return err as Error;
}
