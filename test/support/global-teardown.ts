/** Stops what global-setup started: nothing may outlive the test run. */
import fs from 'node:fs';
import type { DevServer } from '../../runtime/temporal-dev-server';
import type { DatabaseHandle } from '../../runtime/database';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as Record<string, unknown>).__QS_TEST_STACK__ as { temporal: DevServer; db: DatabaseHandle; tmp: string } | undefined;
  if (!stack) return;
  await stack.temporal.stop();
  await stack.db.stop();
  fs.rmSync(stack.tmp, { recursive: true, force: true });
}
