/**
 * npm run bench:personas [-- --days 250 --seed 7 --personas 20]
 * The persona fleet through Temporal against the pure loop, in the same run: first
 * `simulatePersonas` (the engine alone, one market, no I/O), then PersonaSimulation on real
 * servers (a parent, one child per persona, chunk activities writing synthetic trades as
 * qs_persona, continue-as-new every 50 days) with a persona-only bundle as the persona worker
 * runs it. Prints both wall times, the ratio, trades written and whether the resultHash agrees.
 * Goals: Temporal ≤ 60 s and ratio ≤ 5 for 20 personas × 250 days.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { createPersonaActivities } from '../activities/personas';
import { personaSimulationWorkflowId, simulationIdFor, type PersonaSimulationInput } from '../contracts/personas';
import { TASK_QUEUES } from '../contracts/task-queues';
import { createPool } from '../db/client';
import { enablePersonaLogin } from '../db/persona-role';
import { PLATFORM_TENANT_ID } from '../db/schema/tenants';
import { simulatePersonas } from '../domain/personas/run';
import { loadPersonas } from '../personas/loader';
import { executeWorkflow } from '../runtime/workflow-client';
import { buildWorkflowBundle } from '../workers/bundle';
import { runBench, withBenchServers } from './harness';
import { intFlag } from './stats';

runBench(async () => {
  const days = intFlag('days', 250);
  const seed = intFlag('seed', 7);
  const count = intFlag('personas', 20);
  const personas = loadPersonas().slice(0, count);
  const base = { instrument: 'NIFTY' as const, fromDate: '2025-01-01', days, seed };

  const t0 = performance.now();
  const pure = simulatePersonas(
    personas.map((p) => p.compiled),
    base,
  );
  const pureMs = performance.now() - t0;
  console.log(
    `pure loop        ${personas.length} personas × ${days} days: ${(pureMs / 1000).toFixed(2)} s, ` +
      `${pure.trades} trades, resultHash ${pure.resultHash}`,
  );

  await withBenchServers({ poolSize: 10 }, async ({ servers, native, client }) => {
    const bundle = await buildWorkflowBundle(
      path.join(os.tmpdir(), `qs-persona-bundle-${process.pid}.js`),
      require.resolve('../workflows/persona-simulation'),
    );
    const personaPool = createPool(await enablePersonaLogin(servers.db.adminUrl, servers.db.appUrl), { max: 10 });
    const tenantId = PLATFORM_TENANT_ID; // global synthetic data
    const input: PersonaSimulationInput = {
      ...base,
      simulationId: simulationIdFor({ ...base, personas: personas.map((p) => p.spec) }),
      tenantId,
      personas: personas.map((p) => p.spec),
    };
    const worker = await Worker.create({
      connection: native,
      namespace: servers.namespace,
      taskQueue: TASK_QUEUES.personas,
      workflowBundle: { codePath: bundle },
      activities: createPersonaActivities({ pool: personaPool }),
    });
    try {
      await worker.runUntil(async () => {
        const run = async () => {
          const t = performance.now();
          const r = await executeWorkflow(client, 'personaSimulation', {
            taskQueue: TASK_QUEUES.personas,
            workflowId: personaSimulationWorkflowId(tenantId, input.simulationId),
            args: [input],
            workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          });
          return { r, ms: performance.now() - t };
        };
        const first = await run();
        const again = await run();
        const line = (label: string, x: typeof first) =>
          `${label} ${(x.ms / 1000).toFixed(2)} s, ${x.r.trades} trades (${x.r.inserted} written), ` +
          `resultHash ${x.r.resultHash} ${x.r.resultHash === pure.resultHash ? '= pure loop' : '≠ PURE LOOP'}`;
        console.log(line('through Temporal', first));
        console.log(line('rerun (no writes)', again));
        const ratio = first.ms / pureMs;
        console.log(
          `ratio Temporal / pure ${ratio.toFixed(2)} (goal ≤ 5); ` +
            `Temporal ${(first.ms / 1000).toFixed(1)} s (goal ≤ 60 s)` +
            `; ${((first.r.trades / first.ms) * 1000).toFixed(0)} trades/s written; ` +
            `${Math.ceil(days / 25) * personas.length} chunk activities, ` +
            `${Math.ceil(days / 50) * personas.length} persona runs`,
        );
        if (first.r.resultHash !== pure.resultHash) process.exitCode = 1;
      });
    } finally {
      await personaPool.end();
    }
  });
});
