/**
 * Test processes log only Temporal warnings and errors (the SDK's default logs every worker
 * state change). One Runtime per process: install it only if none exists yet.
 */
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';

try {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), console: {} } },
  });
} catch {
  // Already installed in this process by an earlier test file: keep it.
}
