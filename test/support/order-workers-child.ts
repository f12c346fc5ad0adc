/**
 * Chaos helper: the trading and broker workers in a child process, on the test run's Temporal
 * server, Postgres and workflow bundle (QS_TEST_* variables), so a test can SIGKILL it at any
 * instant and start it again. Every workflow a new incarnation touches replays its history from
 * scratch after every restart (a new process has an empty cache). Prints "ready" once both workers poll.
 */
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { brokerActivities, tradingActivities } from '../../workers/activities';
import { createPool } from '../../db/client';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { ModelCache } from '../../ml/model-cache';
import { brokerWorkerDefinition } from '../../workers/broker-worker';

async function main(): Promise<void> {
  const env = (k: string) => {
    const v = process.env[k];
    if (!v) throw new Error(`${k} is not set`);
    return v;
  };
  const quiet = () => undefined;
  Runtime.install({
    logger: {
      log: quiet,
      trace: quiet,
      debug: quiet,
      info: quiet,
      warn: quiet,
      error: (m) => process.stderr.write(`${m}\n`),
    },
  });
  // As in production: the trading worker's pool, and the broker worker's own, sized to its slots.
  const pool = createPool(env('QS_TEST_APP_URL'));
  const brokerDef = brokerWorkerDefinition();
  const brokerPool = createPool(env('QS_TEST_APP_URL'), { max: brokerDef.poolSize });
  const connection = await NativeConnection.connect({ address: env('QS_TEST_TEMPORAL_ADDRESS') });
  const namespace = env('QS_TEST_NAMESPACE');
  // QS_TEST_MODELS=1: decide is served too (a TradingDay's ticks), from the registry's production models.
  const models =
    process.env.QS_TEST_MODELS === '1'
      ? new ModelCache({ pool, listenUrl: env('QS_TEST_APP_URL'), workerId: `chaos-models-${process.pid}` })
      : undefined;
  await models?.start();
  const trading = await Worker.create({
    connection,
    namespace,
    taskQueue: TASK_QUEUES.trading,
    workflowBundle: { codePath: env('QS_TEST_BUNDLE') },
    // A killed worker's sticky queue is abandoned fast, so its workflows move to the next incarnation.
    stickyQueueScheduleToStartTimeout: '1 second',
    activities: tradingActivities({ pool, workerId: 'chaos-trading', ...(models ? { models } : {}) }),
    shutdownGraceTime: '1 second',
  });
  const broker = await Worker.create({
    connection,
    namespace,
    taskQueue: TASK_QUEUES.broker,
    activities: brokerActivities({ pool: brokerPool, workerId: 'chaos-broker', liveTrading: false }),
    shutdownGraceTime: '1 second',
    // Production's slots; not its queue rate, which the server would keep for later test files.
    maxConcurrentActivityTaskExecutions: brokerDef.options!.maxConcurrentActivityTaskExecutions!,
  });
  process.stdout.write('ready\n');
  await Promise.all([trading.run(), broker.run()]);
  await Promise.all([pool.end(), brokerPool.end()]);
  await connection.close();
}

main().catch((e) => {
  process.stderr.write(`order workers: ${(e as Error).stack}\n`);
  process.exit(1);
});
