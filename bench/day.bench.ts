/**
 * npm run bench:day [-- --cadence 5 --tenants 10]
 * One accelerated TradingDay (71 ticks at 5 minutes) through Temporal against the same loop
 * calling the same activity functions directly in this process (align the paper market, decide,
 * mark the book), in one run: the day's wall time, p50/p95/p99 of a tick (read from the
 * history: one alignPaperMarket to the next), and the ratio. Then `--tenants` days at once
 * (days/min, the scaling figure). An instrument kill switch on NIFTY makes decide refuse at the
 * castle every tick, so both loops make the same calls and place nothing (orders: bench:orders);
 * the day still pins its models, runs its pre-open Reconciliation, square-off check, final
 * Reconciliation and summary. Real servers and models trained and promoted in the run.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createDecideActivities } from '../activities/decide';
import { createTradingDayActivities } from '../activities/trading-day';
import { configurePaperAccount } from '../broker/paper/paper-broker';
import { TASK_QUEUES } from '../contracts/task-queues';
import { tradingDayWorkflowId, type TradingDayInput } from '../contracts/trading-day';
import { setKillSwitch } from '../db/tenant-console';
import { withTenant } from '../db/tenant';
import { createTenant } from '../db/tenants';
import { firstTickMinute, nextTickMinute, tickDecisionId, tickInstant } from '../domain/trading-day';
import { ModelCache } from '../ml/model-cache';
import { ModelRegistry } from '../ml/registry';
import { trainOnDataVersion } from '../ml/trainers';
import { executeWorkflow } from '../runtime/workflow-client';
import { brokerActivities, tradingActivities } from '../workers/activities';
import { runBench, withBenchServers } from './harness';
import { formatSummary, intFlag, summarize, type Summary } from './stats';

const DATE = '2026-05-06';
const SEED = 7;

const eventMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  t ? Number(t.seconds ?? 0) * 1000 + Math.round((t.nanos ?? 0) / 1e6) : NaN;

/** Tick latencies from a day's history: from one tick's alignPaperMarket to the next one's. */
async function tickLatencies(client: Client, workflowId: string): Promise<number[]> {
  const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
  const aligns = (events ?? [])
    .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'alignPaperMarket')
    .map((e) => eventMs(e.eventTime));
  return aligns.slice(1).map((t, i) => t - aligns[i]!);
}

const line = (label: string, s: Summary) => formatSummary(label, s);

runBench(async () => {
  const cadence = intFlag('cadence', 5);
  const tenants = intFlag('tenants', 10);
  await withBenchServers({ poolSize: 30 }, async ({ servers, pool, native, client }) => {
    const registry = new ModelRegistry(pool, { actor: 'bench' });
    for (const typeId of ['signal_stack', 'strategy_agents'] as const) {
      const t0 = performance.now();
      const { run, metadata } = await trainOnDataVersion(typeId, '2026-03-06');
      await registry.saveModel({ scope: 'global', artifact: run.artifact, metadata });
      console.log(`${typeId}: trained and promoted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const cache = new ModelCache({ pool, listenUrl: servers.db.appUrl, workerId: 'bench-day' });
    await cache.start();

    const tenant = async (label: string) => {
      const { id } = await createTenant(pool, { slug: `bench-day-${label}-${randomUUID().slice(0, 6)}`, name: label });
      await configurePaperAccount(pool, id, {
        market: { date: DATE, seed: SEED, startMinute: 0, speed: 1 },
        exchange: { latencyMsMin: 1, latencyMsMax: 5 },
      });
      await withTenant(pool, id, (tx) =>
        setKillSwitch(tx, { scope: 'instrument', target: 'NIFTY', active: true, reason: 'bench', userId: null }),
      );
      return id;
    };
    const input = (tenantId: number): TradingDayInput => ({
      tenantId,
      date: DATE,
      mode: 'accelerated',
      cadenceMinutes: cadence,
      seed: SEED,
    });

    // Baseline: the loop's calls, directly.
    const day = createTradingDayActivities({ pool });
    const { decide } = createDecideActivities({ pool, models: cache });
    const direct = await tenant('direct');
    const directTicks: number[] = [];
    let refused = 0;
    const d0 = performance.now();
    for (let m: number | null = firstTickMinute(cadence); m !== null; m = nextTickMinute(m, cadence)) {
      const t0 = performance.now();
      await day.alignPaperMarket({ tenantId: direct, date: DATE, seed: SEED, minute: m });
      const { decision } = await decide({
        tenantId: direct,
        decisionId: tickDecisionId(DATE, m),
        at: tickInstant(DATE, m),
        seed: SEED,
      });
      if (decision.status === 'refused') refused++;
      await day.markBook({ tenantId: direct });
      directTicks.push(performance.now() - t0);
    }
    const directMs = performance.now() - d0;

    const trading = await Worker.create({
      connection: native,
      namespace: servers.namespace,
      taskQueue: TASK_QUEUES.trading,
      workflowBundle: { codePath: servers.bundlePath },
      activities: tradingActivities({ pool, workerId: 'bench-day-trading', models: cache }),
    });
    const broker = await Worker.create({
      connection: native,
      namespace: servers.namespace,
      taskQueue: TASK_QUEUES.broker,
      activities: brokerActivities({ pool, workerId: 'bench-day-broker', liveTrading: false }),
    });
    const runDay = async (tenantId: number) => {
      const workflowId = tradingDayWorkflowId(tenantId, DATE);
      const summary = await executeWorkflow(client, 'tradingDay', {
        taskQueue: TASK_QUEUES.trading,
        workflowId,
        args: [input(tenantId)],
      });
      return { summary, workflowId };
    };
    await trading.runUntil(
      broker.runUntil(async () => {
        const one = await tenant('one');
        const t0 = performance.now();
        const { summary, workflowId } = await runDay(one);
        const oneMs = performance.now() - t0;
        const oneTicks = await tickLatencies(client, workflowId);

        const many = await Promise.all(Array.from({ length: tenants }, (_, i) => tenant(`many-${i}`)));
        const m0 = performance.now();
        const days = await Promise.all(many.map(runDay));
        const manyMs = performance.now() - m0;
        const manyTicks = (await Promise.all(days.map((d) => tickLatencies(client, d.workflowId)))).flat();

        console.log(
          `\none accelerated day, ${summary.decisions} ticks at ${cadence} min ` +
            `(${summary.status}, ${summary.trades} trades, refusals ${JSON.stringify(summary.refusals)}); ` +
            `direct loop: ${refused}/${directTicks.length} refused`,
        );
        console.log(line('baseline: direct tick', summarize(directTicks, directMs)));
        console.log(line('temporal: day tick', summarize(oneTicks, oneMs)));
        console.log(line(`temporal: ${tenants} days, tick`, summarize(manyTicks, manyMs)));
        console.log(
          `\nday: direct ${(directMs / 1000).toFixed(1)} s, through Temporal ${(oneMs / 1000).toFixed(1)} s ` +
            `(ratio ${(oneMs / directMs).toFixed(2)}; goals: ≤ 30 s, ratio ≤ 5)`,
        );
        console.log(
          `${tenants} days at once: ${(manyMs / 1000).toFixed(1)} s, ` +
            `${((tenants / manyMs) * 60_000).toFixed(1)} days/min ` +
            `(one day alone: ${(60_000 / oneMs).toFixed(1)} days/min); ` +
            `all completed: ${days.every((d) => d.summary.status === 'completed')}`,
        );
      }),
    );
    await cache.stop();
  });
});
