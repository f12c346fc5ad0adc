/** Stops what global-setup started: nothing may outlive the test run. */
import type { EphemeralServers } from '../../stack/ephemeral-servers';

export default async function globalTeardown(): Promise<void> {
  await ((globalThis as Record<string, unknown>).__QS_TEST_SERVERS__ as EphemeralServers | undefined)?.stop();
}
