/**
 * Jest global setup for the integration project: ONE Temporal dev server (headless, throwaway
 * SQLite, free port) and ONE embedded Postgres (temp dir, free port), migrated fresh, plus the
 * workflow bundle. Addresses reach the tests through QS_TEST_* environment variables; the
 * handles stay on globalThis for global-teardown.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureTemporalCli } from '../../runtime/temporal-cli';
import { startTemporalDevServer } from '../../runtime/temporal-dev-server';
import { openDatabase } from '../../runtime/database';
import { loadConfig } from '../../runtime/config';
import { freePort } from '../../runtime/ports';
import { runMigrations } from '../../db/migrate';
import bundleSetup from './bundle-setup';

export const TEST_NAMESPACE = 'quantsentinel';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qs-test-'));
  fs.chmodSync(tmp, 0o755); // the embedded server runs as the postgres user when we are root
  const cli = await ensureTemporalCli();
  const [temporalPort, pgPort] = [await freePort(), await freePort()];
  const config = loadConfig({ QS_DATA_DIR: tmp });
  const [temporal, db] = await Promise.all([
    startTemporalDevServer({ cliPath: cli.path, port: temporalPort, dbFile: path.join(tmp, 'temporal.sqlite'), namespace: TEST_NAMESPACE, headless: true }),
    openDatabase(config, { dataDir: path.join(tmp, 'postgres'), port: pgPort, persistent: false }),
  ]);
  (globalThis as Record<string, unknown>).__QS_TEST_STACK__ = { temporal, db, tmp };
  await runMigrations(db.adminUrl);
  await bundleSetup();
  Object.assign(process.env, {
    QS_TEST_TEMPORAL_ADDRESS: temporal.address,
    QS_TEST_NAMESPACE: TEST_NAMESPACE,
    QS_TEST_ADMIN_URL: db.adminUrl,
    QS_TEST_APP_URL: db.appUrl,
    QS_TEST_SUPER_URL: db.superUrl,
    QS_TEST_TMP: tmp,
    QS_TEST_TEMPORAL_CLI: cli.path,
  });
  process.stderr.write(`[test] Temporal ${temporal.address} + Postgres :${pgPort} ready in ${Date.now() - started} ms\n`);
}
