/**
 * npm run bench:orders:queues [-- --n 60 --concurrency 20 --tenants 4 --rate 8]
 * The same two-leg structures (bull put spreads, 1 lot, paper broker) placed two ways in one
 * run, on the same servers: through the shared `broker` queue (one broker worker for every
 * tenant: the baseline), and through per-tenant queues (`broker.<slug>`, one broker worker per
 * tenant, as at each tenant's registered static IP). Both with the production broker worker's
 * queue rate limit (`--rate` activities/s per queue; the shared queue's limit is shared by all
 * tenants, a tenant's own is its own). Prints p50/p95/p99 and structures/s for each, the ratio,
 * and a check that each tenant's broker holds exactly its ledger's orders, one per tag.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { brokerActivities, tradingActivities } from '../workers/activities';
import { configurePaperAccount, PaperBroker } from '../broker/paper/paper-broker';
import { resolveBrokerTaskQueue, setDedicatedBrokerQueue } from '../db/broker-queue';
import { ledgerOrders } from '../db/ledger';
import { withTenant } from '../db/tenant';
import type { OrderPlacementInput } from '../contracts/orders';
import { TASK_QUEUES, tenantBrokerQueue } from '../contracts/task-queues';
import { formatSummary, intFlag, summarize, type Summary } from './stats';
import { benchSpreads, placeStructures, runBench, withBenchServers } from './harness';

interface Tenant {
  id: number;
  slug: string;
}

async function paperTenants(pool: Pool, count: number, label: string): Promise<Tenant[]> {
  const out: Tenant[] = [];
  for (let t = 0; t < count; t++) {
    const slug = `bq-${label}-${t}-${randomUUID().slice(0, 6)}`;
    const { rows } = await pool.query<{ id: number }>('INSERT INTO tenants (slug, name) VALUES ($1, $2) RETURNING id', [
      slug,
      `Bench ${label} ${t}`,
    ]);
    await configurePaperAccount(pool, rows[0]!.id, {
      market: { date: '2026-05-06', seed: 11 + t, startMinute: 30, speed: 1 },
      exchange: { latencyMsMin: 1, latencyMsMax: 5 },
    });
    out.push({ id: rows[0]!.id, slug });
  }
  return out;
}

runBench(async () => {
  const n = intFlag('n', 60);
  const concurrency = intFlag('concurrency', 20);
  const tenantCount = intFlag('tenants', 4);
  const rate = intFlag('rate', 8);
  await withBenchServers({ poolSize: 40 }, async ({ servers, pool, native, client }) => {
    const common = { connection: native, namespace: servers.namespace };
    const brokerWorker = (taskQueue: string, id: string) =>
      Worker.create({
        ...common,
        taskQueue,
        activities: brokerActivities({ pool, workerId: id, liveTrading: false, queues: [taskQueue] }),
        maxTaskQueueActivitiesPerSecond: rate,
      });
    const trading = await Worker.create({
      ...common,
      taskQueue: TASK_QUEUES.trading,
      workflowBundle: { codePath: servers.bundlePath },
      activities: tradingActivities({ pool, workerId: 'bench-trading' }),
    });

    const shared = await paperTenants(pool, tenantCount, 'shared');
    const own = await paperTenants(pool, tenantCount, 'own');
    for (const t of own) await withTenant(pool, t.id, (tx) => setDedicatedBrokerQueue(tx, tenantBrokerQueue(t.slug)));
    const brokers = [
      await brokerWorker(TASK_QUEUES.broker, 'bench-broker-shared'),
      ...(await Promise.all(own.map((t) => brokerWorker(tenantBrokerQueue(t.slug), `bench-broker-${t.slug}`)))),
    ];

    // What a starter does: each tenant's broker queue from the database.
    const inputs = (tenants: Tenant[], count: number) =>
      benchSpreads(
        pool,
        tenants.map((t) => t.id),
        count,
        (id) => resolveBrokerTaskQueue(pool, id),
      );
    const placeAll = async (batch: OrderPlacementInput[]) => {
      const r = await placeStructures(client, batch, concurrency);
      return { summary: summarize(r.samples, r.wallMs), outcomes: r.outcomes };
    };
    const atBrokerMatchesLedger = async (tenants: Tenant[]) => {
      const lines: string[] = [];
      for (const t of tenants) {
        const ledger = await withTenant(pool, t.id, (tx) => ledgerOrders(tx));
        const atBroker = await new PaperBroker(pool, t.id).getOrders();
        const tags = new Set(atBroker.map((o) => o.tag)).size;
        const ok = atBroker.length === ledger.length && tags === atBroker.length;
        lines.push(
          `  ${t.slug}: ${ledger.length} ledger, ${atBroker.length} at the broker, ${tags} tags${ok ? '' : ' ← WRONG'}`,
        );
      }
      return lines.join('\n');
    };

    const run = async <T>(fn: () => Promise<T>): Promise<T> => {
      let wrapped = () => trading.runUntil(fn());
      for (const b of brokers) {
        const inner = wrapped;
        wrapped = () => b.runUntil(inner());
      }
      return wrapped();
    };
    await run(async () => {
      // Warm-up on both paths: caches, connections, JIT.
      await placeAll(await inputs(shared, Math.min(8, n)));
      await placeAll(await inputs(own, Math.min(8, n)));
      const results: Array<[string, { summary: Summary; outcomes: Record<string, number> }]> = [];
      results.push(['shared broker queue', await placeAll(await inputs(shared, n))]);
      results.push(['per-tenant broker queues', await placeAll(await inputs(own, n))]);
      console.log(
        `\nbench:orders:queues — ${n} two-leg structures per mode on the paper broker (${tenantCount} tenants),` +
          ` ${concurrency} concurrent, ${rate} broker activities/s per queue; Temporal dev server + embedded Postgres`,
      );
      for (const [label, r] of results) {
        console.log(`${label}: outcomes ${JSON.stringify(r.outcomes)}`);
        console.log(formatSummary(label, r.summary));
      }
      const [base, queues] = [results[0]![1].summary, results[1]![1].summary];
      console.log(
        `per-tenant / shared: p50 ×${(queues.p50 / base.p50).toFixed(2)}, p95 ×${(queues.p95 / base.p95).toFixed(2)},` +
          ` p99 ×${(queues.p99 / base.p99).toFixed(2)}, throughput ×${(queues.perSecond / base.perSecond).toFixed(2)}`,
      );
      console.log(`correctness (shared):\n${await atBrokerMatchesLedger(shared)}`);
      console.log(`correctness (per-tenant):\n${await atBrokerMatchesLedger(own)}`);
    });
  });
});
