/**
 * Where the database is: DATABASE_URL (the schema owner's URL) when set, otherwise an embedded
 * PostgreSQL under <dataDir>/postgres that this process starts, provisions and later stops.
 */
import path from 'node:path';
import type { Config } from './config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { provisionDatabase, withCredentials } from '../db/provision';

export const DATABASE_NAME = 'quantsentinel';
const ADMIN_PASSWORD_LOCAL = 'qs_admin_local';

export interface DatabaseHandle {
  adminUrl: string;
  appUrl: string;
  /** Superuser URL, only for an embedded server (tests use it to go behind the triggers' back). */
  superUrl?: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * The runtime (qs_app, RLS-bound) URL of a configured database: QS_APP_DATABASE_URL, or
 * DATABASE_URL with the qs_app credentials swapped in. Never the owner's URL.
 */
export function appDatabaseUrl(config: Config): string | undefined {
  if (config.db.appUrl) return config.db.appUrl;
  return config.db.adminUrl ? withCredentials(config.db.adminUrl, 'qs_app', config.db.appPassword) : undefined;
}

export async function openDatabase(
  config: Config,
  opts: { dataDir?: string; port?: number; persistent?: boolean; onLog?: (l: string) => void } = {},
): Promise<DatabaseHandle> {
  if (config.db.adminUrl) {
    return {
      adminUrl: config.db.adminUrl,
      appUrl: appDatabaseUrl(config)!,
      embedded: false,
      stop: async () => undefined,
    };
  }
  const pg = await startEmbeddedPostgres({
    dataDir: opts.dataDir ?? path.join(config.dataDir, 'postgres'),
    port: opts.port ?? config.db.embeddedPort,
    persistent: opts.persistent,
    onLog: opts.onLog,
  });
  try {
    const urls = await provisionDatabase({
      superUrl: pg.superUrl,
      database: DATABASE_NAME,
      adminPassword: ADMIN_PASSWORD_LOCAL,
      appPassword: config.db.appPassword,
    });
    return { ...urls, superUrl: pg.superUrl, embedded: true, stop: pg.stop };
  } catch (err) {
    await pg.stop();
    throw err;
  }
}
