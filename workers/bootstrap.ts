/**
 * What every worker process shares: config, logging, the Temporal connection and namespace,
 * the workflow bundle, a database pool, and graceful shutdown on SIGINT/SIGTERM (in-flight
 * activities finish or are handed back; nothing is lost).
 */
import os from 'node:os';
import { NativeConnection, Runtime, Worker, WorkerOptions, makeTelemetryFilterString } from '@temporalio/worker';
import type { Pool } from 'pg';
import { loadConfig, Config } from '../runtime/config';
import { createLogger, Logger } from '../runtime/logger';
import { createPool } from '../db/client';
import { TaskQueue, TenantBrokerQueue, WORKFLOW_QUEUES } from '../contracts/task-queues';
import { temporalConnectionOptions } from '../runtime/temporal-connection';
import { appDatabaseUrl } from '../runtime/database';
import { sdkMetricsAddress, startWorkerEndpoint } from '../runtime/worker-endpoint';
import { assertTemporalReady, TemporalNotReadyError } from '../runtime/temporal-setup';
import { tracingFromEnv } from '../runtime/tracing';
import { workerInterceptors, workerSinks } from './interceptors';

/** A worker's exit code when its configuration, not an outage, stops it (sysexits EX_CONFIG). */
export const EXIT_CONFIG = 78;

export interface WorkerContext {
  config: Config;
  log: Logger;
  pool: Pool;
  workerId: string;
}

export interface WorkerDefinition {
  /** The queue this worker is named for (logs, worker id, metrics label). */
  taskQueue: TaskQueue | TenantBrokerQueue;
  /**
   * Every queue it polls, with the same activities (default: `taskQueue` alone): a broker worker
   * at one machine's static IP serves each of its tenants' own queues.
   */
  taskQueues?: readonly string[];
  /** Builds the activity implementations from the shared context. */
  activities(ctx: WorkerContext): Record<string, (...args: any[]) => Promise<unknown>>;
  /** Extra worker options (concurrency, rate limits). */
  options?: Partial<WorkerOptions>;
  /** Postgres connections for the process (default 10): enough that running activities never starve each other. */
  poolSize?: number;
  /** Runs before the worker starts (e.g. Rule 2's credential check); may throw to refuse boot. */
  preflight?(env: NodeJS.ProcessEnv): void;
}

export async function runWorker(def: WorkerDefinition): Promise<void> {
  def.preflight?.(process.env);
  const config = loadConfig();
  const log = createLogger(`worker:${def.taskQueue}`, config.logLevel);
  // Not news at warn level: activity-only queues (broker) have no workflows by design, and while
  // Temporal restarts Core retries every poll about ten times a second (the stack says it once).
  const expected = (m: string, meta?: Record<string, unknown>) =>
    (!WORKFLOW_QUEUES.includes(def.taskQueue) && m.startsWith('No workflows registered')) ||
    meta?.target === 'temporalio_client::retry';
  const emit = (level: string, message: string, meta?: Record<string, unknown>) => {
    const l = level.toLowerCase() === 'warn' && expected(message, meta) ? 'debug' : (level.toLowerCase() as 'info');
    log[l](meta ?? {}, message);
  };
  Runtime.install({
    shutdownSignals: ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR2'],
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      // The SDK's own metrics (polls, task latencies, slots), relayed by the worker's /metrics.
      ...(config.workerMetricsPort
        ? { metrics: { prometheus: { bindAddress: sdkMetricsAddress(config.workerMetricsPort) } } }
        : {}),
    },
    logger: {
      log: (level, message, meta) => emit(level, message, meta),
      trace: (m, meta) => emit('trace', m, meta),
      debug: (m, meta) => emit('debug', m, meta),
      info: (m, meta) => emit('info', m, meta),
      warn: (m, meta) => emit('warn', m, meta),
      error: (m, meta) => emit('error', m, meta),
    },
  });
  const appUrl = appDatabaseUrl(config);
  if (!appUrl) throw new Error('a worker needs QS_APP_DATABASE_URL or DATABASE_URL (the stack sets them)');
  const pool = createPool(appUrl, def.poolSize ? { max: def.poolSize } : {});
  const workerId = `${def.taskQueue}@${os.hostname()}:${process.pid}`;
  const ctx: WorkerContext = { config, log, pool, workerId };
  // Spans to OTEL_EXPORTER_OTLP_ENDPOINT when set (runtime/tracing.ts); off otherwise.
  const tracing = tracingFromEnv(`qs-worker-${def.taskQueue}`);
  const connection = await connectWhenTemporalAnswers(config, log);
  if (!connection) return void (await pool.end());
  try {
    // A namespace nobody created (an external Temporal): stop with the fix, not a crash loop.
    await assertTemporalReady(connection, config.temporal.namespace, config.temporal.address);
    const activities = def.activities(ctx);
    const queues = def.taskQueues ?? [def.taskQueue];
    const workers = await Promise.all(
      queues.map((taskQueue) =>
        Worker.create({
          connection,
          namespace: config.temporal.namespace,
          taskQueue,
          identity: workerId,
          activities,
          ...(WORKFLOW_QUEUES.includes(taskQueue) ? workflowSource(config) : {}),
          shutdownGraceTime: '10 seconds',
          // Activity latency/outcomes, the business metrics read off activity results, and tracing.
          interceptors: workerInterceptors(tracing),
          sinks: workerSinks(tracing),
          ...def.options,
        }),
      ),
    );
    const endpoint = config.workerMetricsPort
      ? await startWorkerEndpoint({
          port: config.workerMetricsPort,
          labels: { task_queue: queues.join(',') },
          healthy: () => workers.every((w) => w.getState() === 'RUNNING'),
        })
      : undefined;
    log.info({ taskQueues: queues, namespace: config.temporal.namespace }, 'worker started');
    try {
      // The shutdown signals stop every worker of the process (Runtime.install above).
      await Promise.all(workers.map((w) => w.run()));
    } finally {
      await endpoint?.close();
    }
    log.info('worker stopped');
  } finally {
    await connection.close();
    await pool.end();
    await tracing?.shutdown();
  }
}

/**
 * A worker started while Temporal is down (restarting) waits for it instead of exiting; a stop
 * signal meanwhile ends the wait (undefined: nothing to run).
 */
async function connectWhenTemporalAnswers(config: Config, log: Logger): Promise<NativeConnection | undefined> {
  let stopped = false;
  const stop = () => (stopped = true);
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, stop);
  try {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        return await NativeConnection.connect(temporalConnectionOptions(config));
      } catch (err) {
        if (attempt % 60 === 0)
          log.warn({ address: config.temporal.address, err: String(err) }, 'Temporal is not answering; waiting for it');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    return undefined;
  } finally {
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.removeListener(s, stop);
  }
}

function workflowSource(config: Config): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  return config.workflowBundle
    ? { workflowBundle: { codePath: config.workflowBundle } }
    : { workflowsPath: require.resolve('../workflows') };
}

/** Entrypoint helper: run, and turn a boot failure into one clear line and exit code 1. */
export function main(def: WorkerDefinition): void {
  runWorker(def).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`worker ${def.taskQueue}: ${err instanceof Error ? err.message : String(err)}\n`);
      // 78 (EX_CONFIG): restarting cannot help until an operator acts.
      process.exit(err instanceof TemporalNotReadyError ? EXIT_CONFIG : 1);
    },
  );
}
