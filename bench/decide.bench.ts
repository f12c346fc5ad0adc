/**
 * npm run bench:decide [-- --n 300]
 * decide over a full NIFTY chain (5 expiries, ~1,200 quotes) with every candidate structure
 * built, sized, costed and weighed, then the seven walls:
 *   baseline   building the chain alone (source.chainAt) and the whole decision snapshot;
 *   in-process the pure decide (factors → stack → agent → 8 candidates → castle);
 *   activity   the decide activity with a real Postgres and a hot-swapping ModelCache, called
 *              in this process: a fresh decision id each time (idempotency lookup and the
 *              tenant's state in one transaction, snapshot stored once by content id, one
 *              decisions row written);
 *   worker     the same activity through Temporal: a real worker on its own queue runs a bench
 *              workflow of n decides; each one's latency is scheduled → completed in the history
 *              (what a trading day waits), millisecond resolution; and the same n decides as
 *              local activities (no task-queue round trip), as the workflow's wall time over n.
 * Models: signal_stack and strategy_agents trained on the default window, contract-checked and
 * promoted in the run's registry. Goal: p99 < 20 ms.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createDecideActivities } from '../activities/decide';
import { buildWorkflowBundle } from '../workers/bundle';
import { simulatedSnapshot, tenantRiskView } from '../activities/decision-inputs';
import { createPool } from '../db/client';
import { createTenant } from '../db/tenants';
import { decide, DEFAULT_TENANT_LIMITS } from '../domain/decision';
import { createSource, simulateDay } from '../domain/market';
import { ModelCache } from '../ml/model-cache';
import { ModelRegistry } from '../ml/registry';
import { trainOnDataVersion } from '../ml/trainers';
import { startEphemeralServers } from '../stack/ephemeral-servers';
import { runBench } from './harness';
import { formatSummary, intFlag, summarize } from './stats';

const DATA_VERSION = '2026-03-06';
const AT = '2026-03-10T11:00:00+05:30';
const SEED = 3;

async function time(n: number, fn: (i: number) => unknown | Promise<unknown>) {
  for (let i = 0; i < Math.min(20, n); i++) await fn(-1 - i);
  const samples: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn(i);
    samples.push(performance.now() - s);
  }
  return summarize(samples, performance.now() - t0);
}

runBench(async () => {
  const n = intFlag('n', 300);
  const quiet = () => undefined;
  Runtime.install({
    logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: console.error },
  });
  const servers = await startEphemeralServers({ bundle: false });
  const pool = createPool(servers.db.appUrl, { max: 4 });
  const cache = new ModelCache({ pool, listenUrl: servers.db.appUrl, workerId: 'bench-decide' });
  try {
    const registry = new ModelRegistry(pool, { actor: 'bench' });
    for (const typeId of ['signal_stack', 'strategy_agents'] as const) {
      const t0 = performance.now();
      const { run, metadata } = await trainOnDataVersion(typeId, DATA_VERSION);
      const saved = await registry.saveModel({ scope: 'global', artifact: run.artifact, metadata });
      console.log(
        `${typeId}: trained + validated in ${((performance.now() - t0) / 1000).toFixed(1)} s, ` +
          `${saved.promotion?.outcome} v${saved.saved.version} (${run.artifact.length} bytes)`,
      );
    }
    await cache.start();
    const tenantId = (await createTenant(pool, { slug: 'bench-decide', name: 'Bench' })).id;

    const snapshot = simulatedSnapshot('NIFTY', new Date(AT).toISOString(), SEED);
    const quotes = snapshot.chain.expiries.reduce((a, e) => a + e.quotes.length, 0);
    console.log(`\nNIFTY chain: ${snapshot.chain.expiries.length} expiries, ${quotes} quotes, at ${snapshot.at}`);
    const source = createSource(simulateDay({ instrument: 'NIFTY', date: snapshot.date, seed: SEED }));
    const expiries = snapshot.chain.expiries.map((e) => e.expiry);
    const baselineChain = await time(n, () => source.chainAt(snapshot.minute, { expiries }));
    const baselineSnapshot = await time(Math.min(n, 100), (i) =>
      simulatedSnapshot('NIFTY', new Date(Date.parse(AT) + 60_000 * (i + 30)).toISOString(), SEED),
    );

    const stack = (await cache.get('signal_stack'))!;
    const agents = (await cache.get('strategy_agents'))!;
    const ref = (m: typeof stack | typeof agents) => ({
      typeId: m.id.typeId,
      version: m.id.version,
      sha256: m.id.sha256,
    });
    const tenant = tenantRiskView(
      {
        status: 'active',
        reconciliationClean: true,
        killSwitches: [],
        cash: null,
        positions: [],
        realisedToday: '0',
        lotsToday: 0,
      },
      snapshot,
    );
    let last = '';
    const inProcess = await time(n, (i) => {
      const d = decide({
        decisionId: `bench-${i}`,
        snapshot,
        models: {
          signalStack: { ref: ref(stack), state: stack.state },
          agents: { ref: ref(agents), state: agents.agents },
          slippage: null,
        },
        tenant: { ...tenant, limits: DEFAULT_TENANT_LIMITS },
        strikes: {
          source: 'fallback',
          widthZ: null,
          shortDelta: null,
          expectedPnlPct: null,
          model: null,
          reason: null,
        },
      });
      last = `${d.status} ${d.structure ?? ''} (${d.candidates.length} candidates, ${d.gates.length} walls)`;
    });
    const { decide: decideActivity } = createDecideActivities({ pool, models: cache });
    const activity = await time(n, (i) =>
      decideActivity({ tenantId, decisionId: `bench-act-${i}`, at: AT, seed: SEED }),
    );
    const worker = await throughWorker(servers, pool, cache, n, { tenantId, at: AT, seed: SEED });
    console.log(`decision: ${last}\n`);
    console.log(formatSummary('baseline: chain', baselineChain));
    console.log(formatSummary('baseline: whole snapshot', baselineSnapshot));
    console.log(formatSummary('decide in-process', inProcess));
    console.log(formatSummary('decide activity (Postgres)', activity));
    console.log(formatSummary('decide through a worker', worker.activity));
    console.log(
      `decide as a local activity  mean ${worker.localPerDecision.toFixed(1)} ms per decision (workflow wall / n)`,
    );
    console.log(
      `\ngoal p99 < 20 ms: in-process ${inProcess.p99.toFixed(1)} ms, activity ${activity.p99.toFixed(1)} ms, ` +
        `through a worker ${worker.activity.p99.toFixed(1)} ms`,
    );
  } finally {
    await cache.stop();
    await pool.end();
    await servers.stop();
  }
});

/** n decides through a real worker; each latency from the history (scheduled → completed). */
async function throughWorker(
  servers: Awaited<ReturnType<typeof startEphemeralServers>>,
  pool: ReturnType<typeof createPool>,
  models: ModelCache,
  n: number,
  base: { tenantId: number; at: string; seed: number },
) {
  const bundle = await buildWorkflowBundle(
    path.join(servers.tmp, 'decide-bench-bundle.js'),
    require.resolve('./decide-workflow'),
  );
  const native = await NativeConnection.connect({ address: servers.temporal.address });
  const connection = await Connection.connect({ address: servers.temporal.address });
  const client = new Client({ connection, namespace: servers.namespace });
  const taskQueue = `bench-decide-${process.pid}`;
  const worker = await Worker.create({
    connection: native,
    namespace: servers.namespace,
    taskQueue,
    workflowBundle: { codePath: bundle },
    activities: createDecideActivities({ pool, models }),
  });
  try {
    const workflowId = `bench-decide/${randomUUID()}`;
    let wall = 0;
    let localWall = 0;
    await worker.runUntil(async () => {
      // Warm-up run (first workflow task, connections), then the measured one.
      await client.workflow.execute('decideMany', {
        taskQueue,
        workflowId: `${workflowId}-warm`,
        args: [{ n: 20, base, prefix: `warm-${randomUUID()}` }],
      });
      const t0 = performance.now();
      await client.workflow.execute('decideMany', {
        taskQueue,
        workflowId,
        args: [{ n, base, prefix: `wk-${randomUUID()}` }],
      });
      wall = performance.now() - t0;
      // The same n as local activities: per decision, the workflow's wall time over n.
      const t1 = performance.now();
      await client.workflow.execute('decideManyLocal', {
        taskQueue,
        workflowId: `${workflowId}-local`,
        args: [{ n, base, prefix: `wl-${randomUUID()}` }],
      });
      localWall = performance.now() - t1;
    });
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const at = (e: (typeof events)[number]) => Number(e.eventTime!.seconds) * 1000 + Number(e.eventTime!.nanos) / 1e6;
    const scheduled = new Map(
      events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => [Number(e.eventId), e]),
    );
    const samples = events
      .filter((e) => e.activityTaskCompletedEventAttributes)
      .map((e) => at(e) - at(scheduled.get(Number(e.activityTaskCompletedEventAttributes!.scheduledEventId))!));
    return { activity: summarize(samples, wall), localPerDecision: localWall / n };
  } finally {
    await connection.close();
    await native.close();
  }
}
