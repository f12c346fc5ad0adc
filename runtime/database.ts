/**
 * Which database URL a process uses. Starting and provisioning a database is assembly work
 * (stack/database.ts); this is only the derivation every process shares.
 */
import type { Config } from './config';

/**
 * The runtime (qs_app, RLS-bound) URL of a configured database: QS_APP_DATABASE_URL, or
 * DATABASE_URL with the qs_app credentials swapped in. Never the owner's URL.
 */
export function appDatabaseUrl(config: Config): string | undefined {
  if (config.db.appUrl) return config.db.appUrl;
  return config.db.adminUrl ? withCredentials(config.db.adminUrl, 'qs_app', config.db.appPassword) : undefined;
}

export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
}
