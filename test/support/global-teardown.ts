/** Stops what global-setup started: nothing may outlive the test run. */
import type { EphemeralServers } from '../../stack/ephemeral-servers';
import { stopRestartedPostgres } from './pg-outage';
import { stopRestartedTemporal } from './temporal-outage';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as Record<string, unknown>).__QS_TEST_SERVERS__ as EphemeralServers | undefined;
  // A test that stopped and restarted Postgres (pg-outage.ts) or Temporal (temporal-outage.ts)
  // left a server the harness did not start.
  if (servers) await Promise.all([stopRestartedPostgres(servers.tmp), stopRestartedTemporal(servers.tmp)]);
  await servers?.stop();
}
