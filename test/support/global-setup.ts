/**
 * Jest global setup for the integration project: ONE Temporal dev server and ONE embedded
 * Postgres per run (stack/ephemeral-servers), migrated fresh, plus the workflow bundle.
 * Addresses reach the tests through QS_TEST_* variables (tests run in band, in this process).
 */
import { startEphemeralServers } from '../../stack/ephemeral-servers';
import bundleSetup from './bundle-setup';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  await bundleSetup();
  const s = await startEphemeralServers({ bundle: process.env.QS_TEST_BUNDLE });
  (globalThis as Record<string, unknown>).__QS_TEST_SERVERS__ = s;
  Object.assign(process.env, {
    QS_TEST_TEMPORAL_ADDRESS: s.temporal.address,
    QS_TEST_NAMESPACE: s.namespace,
    QS_TEST_ADMIN_URL: s.db.adminUrl,
    QS_TEST_APP_URL: s.db.appUrl,
    QS_TEST_SUPER_URL: s.db.superUrl,
    QS_TEST_TMP: s.tmp,
    QS_TEST_TEMPORAL_CLI: s.temporalCli,
  });
  process.stderr.write(`[test] Temporal ${s.temporal.address} + Postgres ready in ${Date.now() - started} ms\n`);
}
