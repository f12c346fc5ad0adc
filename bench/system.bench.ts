/**
 * npm run bench:system [-- --n 200 --concurrency 20]
 * Round-trip latency and throughput of N SystemChecks (worker → activity → Postgres → result)
 * against, in the same run, N empty workflows: the Temporal floor. Real servers, started here.
 */
import { executeWorkflow } from '../runtime/workflow-client';
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { createSystemCheckActivities } from '../activities/system-check';
import { createWorkerIdentityActivities } from '../activities/worker-identity';
import { TASK_QUEUES } from '../contracts/task-queues';
import { formatSummary, intFlag, runConcurrent, summarize } from './stats';
import { runBench, systemCheckFloor, withBenchServers } from './harness';
import { formatPhases } from './history-phases';
import { formatCpu, measureCpu } from './process-cpu';

runBench(async () => {
  const n = intFlag('n', 200);
  const concurrency = intFlag('concurrency', 20);
  await withBenchServers({ poolSize: 20 }, async ({ servers, pool, native, client }) => {
    const common = {
      connection: native,
      namespace: servers.namespace,
      workflowBundle: { codePath: servers.bundlePath },
    };
    const trading = await Worker.create({
      ...common,
      taskQueue: TASK_QUEUES.trading,
      activities: {
        ...createSystemCheckActivities({ pool, workerId: 'bench-trading' }),
        ...createWorkerIdentityActivities({ workerId: 'bench-trading' }),
      },
    });
    const broker = await Worker.create({
      ...common,
      taskQueue: TASK_QUEUES.broker,
      activities: createWorkerIdentityActivities({ workerId: 'bench-broker' }),
    });
    await trading.runUntil(
      broker.runUntil(async () => {
        const emptyIds: string[] = [];
        const empty = () =>
          runConcurrent(n, concurrency, async () => {
            const workflowId = `bench/empty/${randomUUID()}`;
            emptyIds.push(workflowId);
            await executeWorkflow(client, 'emptyWorkflow', { taskQueue: TASK_QUEUES.trading, workflowId });
          });
        await empty(); // warm-up: caches, connections, JIT
        const temporalPid = servers.temporal.process.pid;
        const floor = await measureCpu(temporalPid, empty);
        const check = await measureCpu(temporalPid, () => systemCheckFloor(client, n, concurrency));
        const f = summarize(floor.samples, floor.wallMs);
        const c = summarize(check.samples, check.wallMs);
        console.log(
          `\nbench:system — ${n} workflows, ${concurrency} concurrent, ` +
            'Temporal dev server + embedded Postgres on this machine',
        );
        console.log(formatSummary('empty workflow (floor)', f));
        console.log(formatSummary('SystemCheck', c));
        console.log(
          `ratio SystemCheck / floor: p50 ×${(c.p50 / f.p50).toFixed(2)}, p99 ×${(c.p99 / f.p99).toFixed(2)}, ` +
            `throughput ×${(c.perSecond / f.perSecond).toFixed(2)}`,
        );
        console.log(formatCpu('empty workflow', floor.cpuPerUnit));
        console.log(formatCpu('SystemCheck', check.cpuPerUnit));
        console.log('where an empty workflow spends its time (median per workflow, from the histories):');
        console.log(await formatPhases(client, emptyIds.slice(n)));
        console.log('where a SystemCheck spends its time (median per workflow, from the histories):');
        console.log(await formatPhases(client, check.workflowIds));
      }),
    );
  });
});
