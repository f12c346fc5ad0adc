/**
 * npm run bench:system [-- --n 200 --concurrency 20 --rounds 4]
 * Round-trip latency and throughput of N SystemChecks (worker → local activity → Postgres, beside
 * a broker-queue activity → result) against, in the same run, two references: N empty workflows
 * (the Temporal floor) and N of SystemCheck's shape with nothing inside (what Temporal itself
 * costs for a local activity beside a broker-queue one). The three run in interleaved rounds, so
 * a machine that slows mid-run slows all three alike. CPU per workflow is reported by process.
 * Real servers, started here.
 */
import { executeWorkflow } from '../runtime/workflow-client';
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { createSystemCheckActivities } from '../activities/system-check';
import { createWorkerIdentityActivities } from '../activities/worker-identity';
import { TASK_QUEUES } from '../contracts/task-queues';
import { formatSummary, intFlag, runConcurrent, summarize, type Summary } from './stats';
import { runBench, systemCheckFloor, withBenchServers } from './harness';
import { formatPhases } from './history-phases';
import { CpuMeter, formatCpu } from './process-cpu';

interface Series {
  label: string;
  run: (n: number) => Promise<{ samples: number[]; wallMs: number; workflowIds: string[] }>;
  samples: number[];
  wallMs: number;
  workflowIds: string[];
  cpu: CpuMeter;
}

/** `n` workflows of a type that takes no input, `concurrency` in flight. */
function bareWorkflows(client: Client, type: 'emptyWorkflow' | 'systemCheckShape', concurrency: number) {
  return async (n: number) => {
    const workflowIds: string[] = [];
    const r = await runConcurrent(n, concurrency, async () => {
      const workflowId = `bench/${type}/${randomUUID()}`;
      workflowIds.push(workflowId);
      await executeWorkflow(client, type, { taskQueue: TASK_QUEUES.trading, workflowId });
    });
    return { ...r, workflowIds };
  };
}

runBench(async () => {
  const n = intFlag('n', 200);
  const concurrency = intFlag('concurrency', 20);
  const rounds = intFlag('rounds', 4);
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
        const temporalPid = servers.temporal.process.pid;
        const series = (label: string, run: Series['run']): Series => ({
          label,
          run,
          samples: [],
          wallMs: 0,
          workflowIds: [],
          cpu: new CpuMeter(temporalPid),
        });
        const all = [
          series('empty workflow (floor)', bareWorkflows(client, 'emptyWorkflow', concurrency)),
          series("SystemCheck's shape", bareWorkflows(client, 'systemCheckShape', concurrency)),
          series('SystemCheck', (k) => systemCheckFloor(client, k, concurrency)),
        ];
        for (const s of all) await s.run(Math.min(n, 50)); // warm-up: caches, connections, JIT
        for (let round = 0; round < rounds; round++) {
          const size = Math.floor(n / rounds) + (round < n % rounds ? 1 : 0);
          // Each round in a different order: no series always runs right after the same other.
          for (let i = 0; i < all.length; i++) {
            const s = all[(i + round) % all.length]!;
            const r = await s.cpu.measure(() => s.run(size));
            s.samples.push(...r.samples);
            s.wallMs += r.wallMs;
            s.workflowIds.push(...r.workflowIds);
          }
        }
        const [floor, shape, check] = all.map((s) => summarize(s.samples, s.wallMs)) as [Summary, Summary, Summary];
        console.log(
          `\nbench:system — ${n} workflows of each kind in ${rounds} interleaved rounds, ${concurrency} concurrent, ` +
            'Temporal dev server + embedded Postgres on this machine',
        );
        for (const [s, sum] of all.map((x, i) => [x, [floor, shape, check][i]!] as const))
          console.log(formatSummary(s.label, sum));
        const ratio = (a: Summary, b: Summary) =>
          `p50 ×${(a.p50 / b.p50).toFixed(2)}, p99 ×${(a.p99 / b.p99).toFixed(2)}, ` +
          `throughput ×${(a.perSecond / b.perSecond).toFixed(2)}`;
        console.log(`ratio SystemCheck / floor: ${ratio(check, floor)}`);
        console.log(`ratio shape / floor:       ${ratio(shape, floor)}  (what Temporal costs for the shape)`);
        console.log(`ratio SystemCheck / shape: ${ratio(check, shape)}  (what the check's own write costs)`);
        for (const s of all) console.log(formatCpu(s.label, s.cpu.perUnit()));
        for (const s of all) {
          console.log(`where ${s.label} spends its time (median per workflow, from the histories):`);
          console.log(await formatPhases(client, s.workflowIds));
        }
      }),
    );
  });
});
