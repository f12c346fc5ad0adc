/**
 * The stack's own Node processes: the API and one worker per task queue, each supervised
 * (restarted with backoff when it dies). Their JSON logs are filtered to warnings and errors.
 */
import path from 'node:path';
import type { Config } from '../runtime/config';
import { ManagedProcess } from '../runtime/managed-process';
import { PROJECT_ROOT } from '../runtime/temporal-cli';
import { brokerCredentialsIn } from '../workers/rule2';

const RUN_TS = path.join(PROJECT_ROOT, 'bin', 'run-ts.js');

/** Shutdown order: workers drain first, then the API, Temporal, Postgres, the stack's files. */
export const STOP_RANK = { worker: 0, api: 1, temporal: 2, postgres: 3, files: 4 } as const;

export interface PlatformProcess {
  proc: ManagedProcess;
  rank: number;
}

export function platformProcesses(
  config: Config,
  env: NodeJS.ProcessEnv,
  hooks: {
    say: (line: string) => void;
    onSpawn: (name: string, stopSignal: NodeJS.Signals, rank: number) => (pid: number) => void;
  },
  /** qs_persona's URL (db/persona-role.ts), the persona worker's only database access. */
  personaDatabaseUrl: string,
): PlatformProcess[] {
  const make = (
    name: string,
    entry: string,
    childEnv: NodeJS.ProcessEnv,
    rank: number,
    ready?: (abort: AbortSignal) => Promise<void>,
  ): PlatformProcess => ({
    rank,
    proc: new ManagedProcess({
      name,
      command: process.execPath,
      args: [RUN_TS, entry],
      env: childEnv,
      cwd: PROJECT_ROOT,
      onLine: (n, line) => forwardLog(n, line, config.logLevel),
      restart: true,
      ready,
      // Workers get their shutdown grace (10 s) to finish in-flight activities, plus margin.
      graceMs: 20_000,
      onNotice: hooks.say,
      onSpawn: hooks.onSpawn(name, 'SIGTERM', rank),
    }),
  });
  // Rule 2: the persona worker gets no broker credential, no owner's URL, and its own database role.
  const personaEnv: NodeJS.ProcessEnv = { ...env, QS_APP_DATABASE_URL: personaDatabaseUrl };
  for (const k of [...brokerCredentialsIn(personaEnv), 'DATABASE_URL']) delete personaEnv[k];
  // The API first: it answers /healthz and /readyz while the workers boot.
  return [
    make('api', 'api/main.ts', env, STOP_RANK.api, (abort) =>
      answers(`http://${config.api.host}:${config.api.port}/healthz`, abort),
    ),
    make('worker:trading', 'workers/trading.ts', env, STOP_RANK.worker),
    make('worker:broker', 'workers/broker.ts', env, STOP_RANK.worker),
    make('worker:ml', 'workers/ml.ts', env, STOP_RANK.worker),
    make('worker:personas', 'workers/personas.ts', personaEnv, STOP_RANK.worker),
  ];
}

/** The API is up once /healthz answers (it listens before Temporal or Postgres do). */
async function answers(url: string, abort: AbortSignal, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!abort.aborted) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
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
