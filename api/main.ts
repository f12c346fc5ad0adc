/** API process entrypoint (the stack runs it as a child process). */
import { loadConfig } from '../runtime/config';
import { createLogger } from '../runtime/logger';
import { startApiServer } from './server';
import { appDatabaseUrl } from '../runtime/database';

async function run(): Promise<void> {
  const config = loadConfig();
  const appUrl = appDatabaseUrl(config);
  if (!appUrl) throw new Error('the API needs QS_APP_DATABASE_URL or DATABASE_URL (the stack sets them)');
  // A stray rejection (a lost connection while Temporal or Postgres restarts) must not take the
  // API down: /readyz is how the outage is reported.
  const log = createLogger('api', config.logLevel);
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
  const server = await startApiServer(config, appUrl);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

run().catch((err: unknown) => {
  process.stderr.write(`api: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
