/**
 * `qs stack up`: Postgres → Temporal dev server → migrations → workflow bundle → workers + API,
 * then one block of URLs once /readyz says everything is up. SIGINT/SIGTERM stop it all in the
 * reverse order; data under .data/ is kept for the next start.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadConfig, Config } from '../runtime/config';
import { createLogger } from '../runtime/logger';
import { assertPortsFree } from '../runtime/ports';
import { ensureTemporalCli, describeCli, PROJECT_ROOT } from '../runtime/temporal-cli';
import { startTemporalDevServer, DevServer } from '../runtime/temporal-dev-server';
import { openDatabase, DatabaseHandle } from '../runtime/database';
import { ManagedProcess } from '../runtime/managed-process';
import { runMigrations } from '../db/migrate';
import { buildWorkflowBundle } from '../workers/bundle';
import { brokerCredentialsIn } from '../workers/rule2';
import { TASK_QUEUES } from '../contracts/task-queues';
import { killLeftovers, writePidFile, removePidFile } from '../runtime/pid-file';
import { afterMigrate } from './after-migrate';
import { writeStackEnv } from '../runtime/stack-env';

const RUN_TS = path.join(PROJECT_ROOT, 'bin', 'run-ts.js');

export async function stackUp(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env); // a bad value stops here, before anything starts
  const log = createLogger('stack', config.logLevel);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  fs.mkdirSync(config.dataDir, { recursive: true });
  killLeftovers(config.dataDir, say);

  await assertPortsFree([
    { port: config.api.port, purpose: 'API', envVar: 'QS_API_PORT' },
    ...(config.temporal.external
      ? []
      : [
          { port: config.temporal.devServerPort, purpose: 'Temporal frontend', envVar: 'QS_TEMPORAL_PORT' },
          { port: config.temporal.uiPort, purpose: 'Temporal Web UI', envVar: 'QS_TEMPORAL_UI_PORT' },
        ]),
    ...(config.db.adminUrl
      ? []
      : [{ port: config.db.embeddedPort, purpose: 'embedded PostgreSQL', envVar: 'QS_PG_PORT' }]),
  ]);

  const cleanups: Array<() => Promise<void>> = [];
  let shuttingDown = false;
  const shutdown = async (why: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say(`\nStopping Quantsentinel (${why})…`);
    for (const stop of cleanups.reverse()) await stop().catch((e) => log.error({ err: e }, 'stop failed'));
    removePidFile(config.dataDir);
    say('Stopped. Data is kept in ' + path.relative(process.cwd(), config.dataDir) + '/');
  };
  process.once('SIGINT', () => void shutdown('SIGINT').then(() => process.exit(0)));
  process.once('SIGTERM', () => void shutdown('SIGTERM').then(() => process.exit(0)));

  try {
    let temporalUi: string | undefined;
    let temporalServer: DevServer | undefined;
    const cli = config.temporal.external ? undefined : await ensureTemporalCli(say, env);
    if (cli) say(describeCli(cli));

    say(
      config.db.adminUrl
        ? 'Using DATABASE_URL'
        : `Starting embedded PostgreSQL (data in ${rel(config.dataDir)}/postgres)…`,
    );
    const db: DatabaseHandle = await openDatabase(config, { onLog: (l) => log.debug({ pg: l }) });
    cleanups.push(db.stop);

    if (cli) {
      say('Starting the Temporal dev server…');
      temporalServer = await startTemporalDevServer({
        cliPath: cli.path,
        port: config.temporal.devServerPort,
        uiPort: config.temporal.uiPort,
        dbFile: path.join(config.dataDir, 'temporal.sqlite'),
        namespace: config.temporal.namespace,
        onLog: (l) => log.debug({ temporal: l }),
      });
      cleanups.push(temporalServer.stop);
      temporalUi = temporalServer.uiUrl;
    }

    const { applied } = await runMigrations(db.adminUrl);
    say(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
    const firstRun = await afterMigrate(db);

    const bundle =
      config.workflowBundle ?? (await buildWorkflowBundle(path.join(config.dataDir, 'workflow-bundle.js')));
    const childEnv: NodeJS.ProcessEnv = {
      ...env,
      DATABASE_URL: db.adminUrl,
      QS_APP_DATABASE_URL: db.appUrl,
      TEMPORAL_ADDRESS: config.temporal.address,
      QS_WORKFLOW_BUNDLE: bundle,
      QS_SESSION_SECRET: config.sessionSecret ?? sessionSecretFor(config.dataDir),
    };
    // Lets `qs check`, `qs db status`… find this stack's servers.
    cleanups.push(
      writeStackEnv(config.dataDir, {
        DATABASE_URL: db.adminUrl,
        QS_APP_DATABASE_URL: db.appUrl,
        TEMPORAL_ADDRESS: config.temporal.address,
      }),
    );
    const processes = spawnChildren(config, childEnv, (name, line) => forwardLog(name, line, config.logLevel));
    for (const p of processes) p.proc.start();
    cleanups.push(async () => {
      // API first (no new requests), then workers (finish in-flight tasks).
      await processes.find((p) => p.name === 'api')!.proc.stop();
      await Promise.all(processes.filter((p) => p.name !== 'api').map((p) => p.proc.stop()));
    });
    writePidFile(config.dataDir, [temporalServer?.process.pid, ...processes.map((p) => p.proc.pid)]);

    const apiUrl = `http://${config.api.host}:${config.api.port}`;
    await waitReady(`${apiUrl}/readyz`, 180_000);
    say(
      [
        '',
        '┌─ Quantsentinel is up ─────────────────────────────────────────',
        `│ API          ${apiUrl}   (/healthz /readyz /metrics)`,
        `│ Temporal     ${config.temporal.address}   namespace ${config.temporal.namespace}`,
        ...(temporalUi ? [`│ Web UI       ${temporalUi}/namespaces/${config.temporal.namespace}/workflows`] : []),
        `│ Postgres     ${db.embedded ? `embedded, ${redact(db.adminUrl)}` : redact(db.adminUrl)}`,
        `│ Workers      ${Object.values(TASK_QUEUES).join(', ')}`,
        ...firstRun,
        '│ Try:         npx qs check',
        '│ Stop:        Ctrl-C (data is kept in ' + rel(config.dataDir) + '/)',
        '└───────────────────────────────────────────────────────────────',
      ].join('\n'),
    );
  } catch (err) {
    await shutdown('start-up failed');
    throw err;
  }
}

interface Child {
  name: string;
  proc: ManagedProcess;
}

function spawnChildren(config: Config, env: NodeJS.ProcessEnv, onLine: (name: string, line: string) => void): Child[] {
  const make = (name: string, entry: string, childEnv: NodeJS.ProcessEnv): Child => ({
    name,
    proc: new ManagedProcess({
      name,
      command: process.execPath,
      args: [RUN_TS, entry],
      env: childEnv,
      cwd: PROJECT_ROOT,
      onLine,
      restart: true,
    }),
  });
  // Rule 2: the persona worker gets an environment without any broker credential.
  const personaEnv = { ...env };
  for (const k of brokerCredentialsIn(personaEnv)) delete personaEnv[k];
  return [
    make('worker:trading', 'workers/trading.ts', env),
    make('worker:broker', 'workers/broker.ts', env),
    make('worker:ml', 'workers/ml.ts', env),
    make('worker:personas', 'workers/personas.ts', personaEnv),
    make('api', 'api/main.ts', env),
  ];
}

/** Children log JSON; the stack passes warnings and errors through and drops the chatter. */
function forwardLog(name: string, line: string, level: string): void {
  let parsed: { level?: number; msg?: string } | undefined;
  try {
    parsed = JSON.parse(line);
  } catch {
    parsed = undefined;
  }
  const verbose = level === 'debug' || level === 'trace';
  if (verbose || !parsed || (parsed.level ?? 30) >= 40) process.stderr.write(`[${name}] ${line}\n`);
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
      last = `${res.status} ${JSON.stringify(((await res.json()) as { down?: string[] }).down)}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the platform did not become ready within ${timeoutMs / 1000} s (last /readyz: ${last})`);
}

/** A per-data-dir session secret, made on first start, so sessions survive a restart. */
function sessionSecretFor(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

const rel = (p: string) => path.relative(process.cwd(), p) || '.';
const redact = (url: string) => url.replace(/:[^:@/]*@/, ':•••@');
