/**
 * npm run bench:system [-- --n 200 --concurrency 20]
 * Round-trip latency and throughput of N SystemChecks (worker → activity → Postgres → result)
 * against, in the same run, N empty workflows: the Temporal floor. Real servers, started here.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startEphemeralServers } from '../runtime/ephemeral-servers';
import { createPool } from '../db/client';
import { createSystemCheckActivities } from '../activities/system-check';
import { createWorkerIdentityActivities } from '../activities/worker-identity';
import { TASK_QUEUES } from '../workflows/task-queues';
import { formatSummary, intFlag, runConcurrent, summarize } from './stats';

async function main(): Promise<void> {
  const n = intFlag('n', 200);
  const concurrency = intFlag('concurrency', 20);
  Runtime.install({ logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: console.error } });
  const servers = await startEphemeralServers();
  const pool = createPool(servers.db.appUrl, { max: 20 });
  const native = await NativeConnection.connect({ address: servers.temporal.address });
  const connection = await Connection.connect({ address: servers.temporal.address });
  const client = new Client({ connection, namespace: servers.namespace });
  const common = { connection: native, namespace: servers.namespace, workflowBundle: { codePath: servers.bundlePath } };
  const trading = await Worker.create({
    ...common,
    taskQueue: TASK_QUEUES.trading,
    activities: { ...createSystemCheckActivities({ pool, workerId: 'bench-trading' }), ...createWorkerIdentityActivities({ workerId: 'bench-trading' }) },
  });
  const broker = await Worker.create({ ...common, taskQueue: TASK_QUEUES.broker, activities: createWorkerIdentityActivities({ workerId: 'bench-broker' }) });

  try {
    await trading.runUntil(
      broker.runUntil(async () => {
        const run = (workflow: string, args: (id: string) => unknown[]) =>
          runConcurrent(n, concurrency, async () => {
            const id = randomUUID();
            await client.workflow.execute(workflow, { taskQueue: TASK_QUEUES.trading, workflowId: `bench/${workflow}/${id}`, args: args(id) });
          });
        await run('emptyWorkflow', () => []); // warm-up: caches, connections, JIT
        const floor = await run('emptyWorkflow', () => []);
        const check = await run('systemCheck', (id) => [{ checkId: id }]);
        const f = summarize(floor.samples, floor.wallMs);
        const c = summarize(check.samples, check.wallMs);
        console.log(`\nbench:system — ${n} workflows, ${concurrency} concurrent, Temporal dev server + embedded Postgres on this machine`);
        console.log(formatSummary('empty workflow (floor)', f));
        console.log(formatSummary('SystemCheck', c));
        console.log(`ratio SystemCheck / floor: p50 ×${(c.p50 / f.p50).toFixed(2)}, p99 ×${(c.p99 / f.p99).toFixed(2)}, throughput ×${(c.perSecond / f.perSecond).toFixed(2)}`);
      }),
    );
  } finally {
    await connection.close();
    await native.close();
    await pool.end();
    await servers.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
