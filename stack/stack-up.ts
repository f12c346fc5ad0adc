/**
 * `qs stack up`: claim the data directory → Postgres + Temporal dev server → migrations →
 * workflow bundle → API + workers, then one block of URLs once /readyz says everything is up.
 * Every server is supervised: one that dies is restarted on the same port and data. SIGINT/
 * SIGTERM stop in order: workers drain, API, Temporal, Postgres last; data under .data/ is kept.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadConfig } from '../runtime/config';
import { createLogger } from '../runtime/logger';
import { assertPortsFree } from '../runtime/ports';
import { ensureTemporalCli, describeCli } from '../runtime/temporal-cli';
import { startTemporalDevServer, DevServer } from '../runtime/temporal-dev-server';
import { assertExternalTemporalReady } from '../runtime/temporal-setup';
import { acquireStackLock } from '../runtime/stack-lock';
import { writeStackEnv } from '../runtime/stack-env';
import { runMigrations } from '../db/migrate';
import { explainDatabaseError } from '../db/errors';
import { enablePersonaLogin } from '../db/persona-role';
import { buildWorkflowBundle } from '../workers/bundle';
import { TASK_QUEUES } from '../contracts/task-queues';
import { openDatabase, DatabaseHandle } from './database';
import { afterMigrate, DEMO_TENANT } from './after-migrate';
import { platformProcesses, STOP_RANK } from './platform-processes';

const STOPPING: Record<number, string> = {
  [STOP_RANK.worker]: 'workers (in-flight activities finish)',
  [STOP_RANK.api]: 'the API',
  [STOP_RANK.temporal]: 'the Temporal dev server',
  [STOP_RANK.postgres]: 'PostgreSQL',
};

export async function stackUp(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env); // a bad value stops here, before anything starts
  const log = createLogger('stack', config.logLevel);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const apiUrl = `http://${config.api.host}:${config.api.port}`;
  fs.mkdirSync(config.dataDir, { recursive: true });
  // Refuses (StackRunningError) while a live stack owns this data directory; never touches it.
  const lock = await acquireStackLock(
    config.dataDir,
    {
      API: apiUrl,
      Temporal: config.temporal.address,
      ...(config.temporal.external ? {} : { 'Web UI': `http://127.0.0.1:${config.temporal.uiPort}` }),
      ...(config.db.adminUrl ? {} : { Postgres: `127.0.0.1:${config.db.embeddedPort}` }),
    },
    say,
  );

  // Stops run by rank (workers, API, Temporal, Postgres, files); a step under way finishes first.
  const stops: Array<{ rank: number; stop: () => Promise<void> }> = [];
  let current: Promise<unknown> = Promise.resolve();
  let stopping: Promise<void> | undefined;
  let signalled = false;
  const step = <T>(p: Promise<T>): Promise<T> => {
    if (stopping) return Promise.reject(new Error('stopping'));
    current = p.catch(() => undefined);
    return p;
  };
  const shutdown = (why: string): Promise<void> =>
    (stopping ??= (async () => {
      const started = signalled || stops.length > 0; // a failed port check has nothing to stop
      if (started) say(`\nStopping Quantsentinel (${why})…`);
      await current;
      for (const rank of [...new Set(stops.map((s) => s.rank))].sort((a, b) => a - b)) {
        const now = stops.filter((s) => s.rank === rank);
        if (STOPPING[rank]) say(`  stopping ${STOPPING[rank]}`);
        await Promise.all(now.map((s) => s.stop().catch((e) => log.error({ err: e }, 'stop failed'))));
      }
      lock.release();
      if (started) say('Stopped. Data is kept in ' + rel(config.dataDir) + '/');
    })());
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (signalled) return say(`(${sig}: already stopping)`);
      signalled = true;
      void shutdown(sig).then(() => process.exit(0));
    });
  }
  const onSpawn = (name: string, stopSignal: NodeJS.Signals, stopRank: number) => (pid: number) =>
    lock.setChild({ name, pid, stopSignal, stopRank });

  try {
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
    // An external Temporal must already hold our namespace and search attributes (`qs temporal setup`).
    if (config.temporal.external) await step(assertExternalTemporalReady(config));
    const cli = config.temporal.external ? undefined : await step(ensureTemporalCli(say, env));
    if (cli) say(describeCli(cli));

    say(
      config.db.adminUrl
        ? 'Using DATABASE_URL'
        : `Starting embedded PostgreSQL (data in ${rel(config.dataDir)}/postgres)…`,
    );
    if (cli) say('Starting the Temporal dev server…');
    const [dbStarted, temporalStarted] = await step(
      Promise.allSettled([
        openDatabase(config, {
          restart: true,
          onLog: (l) => log.debug({ pg: l }),
          onNotice: say,
          onSpawn: onSpawn('postgres', 'SIGINT', STOP_RANK.postgres),
        }).then((db) => (stops.push({ rank: STOP_RANK.postgres, stop: db.stop }), db)),
        cli
          ? startTemporalDevServer({
              cliPath: cli.path,
              port: config.temporal.devServerPort,
              uiPort: config.temporal.uiPort,
              dbFile: path.join(config.dataDir, 'temporal.sqlite'),
              namespace: config.temporal.namespace,
              onLog: (l) => log.debug({ temporal: l }),
              restart: true,
              onNotice: say,
              onSpawn: onSpawn('temporal', 'SIGTERM', STOP_RANK.temporal),
            }).then((t) => (stops.push({ rank: STOP_RANK.temporal, stop: t.stop }), t))
          : Promise.resolve(undefined),
      ]),
    );
    if (dbStarted.status === 'rejected') throw dbStarted.reason;
    if (temporalStarted.status === 'rejected') throw temporalStarted.reason;
    const db: DatabaseHandle = dbStarted.value;
    const temporalServer: DevServer | undefined = temporalStarted.value;

    const { applied } = await step(
      runMigrations(db.adminUrl).catch((e: unknown) => {
        throw explainDatabaseError(e, db.adminUrl); // a missing role, a wrong password…: cause and fix
      }),
    );
    say(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
    const firstRun = await step(afterMigrate(db));
    const personaDatabaseUrl = await step(enablePersonaLogin(db.adminUrl, db.appUrl)); // Rule 2

    const bundle =
      config.workflowBundle ?? (await step(buildWorkflowBundle(path.join(config.dataDir, 'workflow-bundle.js'))));
    const childEnv: NodeJS.ProcessEnv = {
      ...env,
      DATABASE_URL: db.adminUrl,
      QS_APP_DATABASE_URL: db.appUrl,
      TEMPORAL_ADDRESS: config.temporal.address,
      QS_WORKFLOW_BUNDLE: bundle,
      QS_SESSION_SECRET: config.sessionSecret ?? sessionSecretFor(config.dataDir),
    };
    // Lets `qs check`, `qs db status`… find this stack's servers.
    stops.push({
      rank: STOP_RANK.files,
      stop: writeStackEnv(config.dataDir, {
        DATABASE_URL: db.adminUrl,
        QS_APP_DATABASE_URL: db.appUrl,
        TEMPORAL_ADDRESS: config.temporal.address,
      }),
    });
    for (const child of platformProcesses(config, childEnv, { say, onSpawn }, personaDatabaseUrl)) {
      stops.push({ rank: child.rank, stop: () => child.proc.stop() });
      await step(child.proc.start());
    }

    await step(waitReady(`${apiUrl}/readyz`, 180_000));
    say(
      [
        '',
        '┌─ Quantsentinel is up ' + '─'.repeat(41),
        `│ API          ${apiUrl}   (/healthz /readyz /metrics)`,
        `│ Dashboard    ${apiUrl}/t/${DEMO_TENANT}/   (the demo tenant; /t/<slug>/ for others)`,
        `│ Temporal     ${config.temporal.address}   namespace ${config.temporal.namespace}`,
        ...(temporalServer?.uiUrl
          ? [`│ Web UI       ${temporalServer.uiUrl}/namespaces/${config.temporal.namespace}/workflows`]
          : []),
        `│ Postgres     ${db.embedded ? `embedded, ${redact(db.adminUrl)}` : redact(db.adminUrl)}`,
        `│ Workers      ${Object.values(TASK_QUEUES).join(', ')}`,
        ...firstRun,
        '│ Try:         npx qs check',
        '│ Stop:        Ctrl-C (data is kept in ' + rel(config.dataDir) + '/)',
        '└' + '─'.repeat(63),
      ].join('\n'),
    );
  } catch (err) {
    await shutdown(signalled ? 'signal' : 'start-up failed');
    if (signalled) return; // the signal handler exits 0 once stopped
    throw err;
  }
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
