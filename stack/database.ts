/**
 * Where the database is: DATABASE_URL (the schema owner's URL) when set, otherwise an embedded
 * PostgreSQL under <dataDir>/postgres that this process starts, provisions and later stops.
 */
import path from 'node:path';
import type { Config } from '../runtime/config';
import { appDatabaseUrl } from '../runtime/database';
import { startEmbeddedPostgres, EmbeddedPgOptions } from '../runtime/embedded-postgres';
import type { ManagedProcess } from '../runtime/managed-process';
import { provisionDatabase } from '../db/provision';

export const DATABASE_NAME = 'quantsentinel';
const ADMIN_PASSWORD_LOCAL = 'qs_admin_local';

export interface DatabaseHandle {
  adminUrl: string;
  appUrl: string;
  /** Superuser URL, only for an embedded server (tests use it to go behind the triggers' back). */
  superUrl?: string;
  embedded: boolean;
  /** The embedded server's process (the stack supervises it). */
  process?: ManagedProcess;
  stop(): Promise<void>;
}

export async function openDatabase(config: Config, opts: Partial<EmbeddedPgOptions> = {}): Promise<DatabaseHandle> {
  if (config.db.adminUrl) {
    return {
      adminUrl: config.db.adminUrl,
      appUrl: appDatabaseUrl(config)!,
      embedded: false,
      stop: async () => undefined,
    };
  }
  const pg = await startEmbeddedPostgres({
    ...opts,
    dataDir: opts.dataDir ?? path.join(config.dataDir, 'postgres'),
    port: opts.port ?? config.db.embeddedPort,
  });
  try {
    const urls = await provisionDatabase({
      superUrl: pg.superUrl,
      database: DATABASE_NAME,
      adminPassword: ADMIN_PASSWORD_LOCAL,
      appPassword: config.db.appPassword,
    });
    return { ...urls, superUrl: pg.superUrl, embedded: true, process: pg.process, stop: pg.stop };
  } catch (err) {
    await pg.stop();
    throw err;
  }
}
