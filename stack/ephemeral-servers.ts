/**
 * Throwaway servers for a test run or a benchmark: one Temporal dev server (headless, SQLite
 * file in a temp dir, free port) and one embedded Postgres (temp dir, free port), migrated
 * fresh, plus the workflow bundle. stop() removes every trace.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureTemporalCli } from '../runtime/temporal-cli';
import { startTemporalDevServer, DevServer } from '../runtime/temporal-dev-server';
import { loadConfig } from '../runtime/config';
import { freePort } from '../runtime/ports';
import { runMigrations } from '../db/migrate';
import { buildWorkflowBundle } from '../workers/bundle';
import { openDatabase, DatabaseHandle } from './database';

export const EPHEMERAL_NAMESPACE = 'quantsentinel';

export interface EphemeralServers {
  temporal: DevServer;
  db: DatabaseHandle;
  namespace: string;
  bundlePath: string;
  tmp: string;
  temporalCli: string;
  stop(): Promise<void>;
}

/**
 * `bundle`: a pre-built bundle's path, or false when no workers will run (database-only use).
 * `postgresSettings`: more server settings for the embedded Postgres (benchmarks' diagnostics).
 */
export async function startEphemeralServers(
  opts: { bundle?: string | false; postgresSettings?: Record<string, string> } = {},
): Promise<EphemeralServers> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qs-ephemeral-'));
  fs.chmodSync(tmp, 0o755); // the embedded server runs as the postgres user when we are root
  const cli = await ensureTemporalCli();
  const [temporalPort, pgPort] = [await freePort(), await freePort()];
  const [temporal, db, bundlePath] = await Promise.all([
    startTemporalDevServer({
      cliPath: cli.path,
      port: temporalPort,
      dbFile: path.join(tmp, 'temporal.sqlite'),
      namespace: EPHEMERAL_NAMESPACE,
      headless: true,
      detached: false,
    }),
    openDatabase(loadConfig({ QS_DATA_DIR: tmp }), {
      dataDir: path.join(tmp, 'postgres'),
      port: pgPort,
      persistent: false,
      detached: false,
      settings: opts.postgresSettings,
    }),
    opts.bundle === false ? '' : (opts.bundle ?? buildWorkflowBundle(path.join(tmp, 'workflow-bundle.js'))),
  ]);
  await runMigrations(db.adminUrl);
  return {
    temporal,
    db,
    namespace: EPHEMERAL_NAMESPACE,
    bundlePath,
    tmp,
    temporalCli: cli.path,
    stop: async () => {
      await temporal.stop();
      await db.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
