/**
 * npm run bench:orders [-- --n 100 --concurrency 20 --tenants 4 --rounds 4 --statements]
 * Places N two-leg structures (bull put spreads, 1 lot) on the paper broker, `concurrency` in
 * flight, spread over a few tenants (each tenant's paper exchange is one serialised book), and
 * reports structures/s and p50/p95/p99 from submit to filled against, in interleaved rounds of the
 * same run, the SystemCheck floor (worker → activity → Postgres → broker queue → result): the ratio.
 * Real servers (Temporal dev server + embedded Postgres) started here; paper exchange latency
 * 1–5 ms so the figures show the platform, not a simulated venue. --statements adds Postgres's
 * statements by plan and run time over the measured rounds (structures and SystemChecks together).
 */
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { brokerActivities, tradingActivities } from '../workers/activities';
import { configurePaperAccount, PaperBroker } from '../broker/paper/paper-broker';
import { verifyAuditChain } from '../db/audit';
import { ledgerOrders } from '../db/ledger';
import { withTenant } from '../db/tenant';
import { orderPlacementWorkflowId, type OrderPlacementInput } from '../contracts/orders';
import { TASK_QUEUES } from '../contracts/task-queues';
import { fileFlag, formatSummary, intFlag, summarize } from './stats';
import { formatProbes, installProbes, startProbes, startProfiles, stopProbes } from './api-probes';
import { benchSpreads, placeStructures, runBench, systemCheckFloor, withBenchServers } from './harness';
import { formatPhases } from './history-phases';
import { pgStatements, statementsSettings } from './pg-statements';

runBench(async () => {
  installProbes(); // before any traffic: see installProbes
  const n = intFlag('n', 100);
  const concurrency = intFlag('concurrency', 20);
  const tenants = intFlag('tenants', 4);
  const rounds = intFlag('rounds', 4);
  await withBenchServers(
    { poolSize: 30, postgresSettings: statementsSettings() },
    async ({ servers, pool, native, client }) => {
      const common = { connection: native, namespace: servers.namespace };
      const trading = await Worker.create({
        ...common,
        taskQueue: TASK_QUEUES.trading,
        workflowBundle: { codePath: servers.bundlePath },
        activities: tradingActivities({ pool, workerId: 'bench-trading' }),
      });
      const broker = await Worker.create({
        ...common,
        taskQueue: TASK_QUEUES.broker,
        activities: brokerActivities({ pool, workerId: 'bench-broker', liveTrading: false }),
      });

      const tenantIds: number[] = [];
      for (let t = 0; t < tenants; t++) {
        const { rows } = await pool.query<{ id: number }>(
          'INSERT INTO tenants (slug, name) VALUES ($1, $2) RETURNING id',
          [`bench-${t}-${randomUUID().slice(0, 6)}`, `Bench ${t}`],
        );
        tenantIds.push(rows[0]!.id);
        await configurePaperAccount(pool, rows[0]!.id, {
          market: { date: '2026-05-06', seed: 11 + t, startMinute: 30, speed: 1 },
          exchange: { latencyMsMin: 1, latencyMsMax: 5 },
        });
      }
      const inputs = (count: number) => benchSpreads(pool, tenantIds, count);

      // Faster must not mean wrong: every tenant's audit chain verifies, and the broker holds
      // exactly the orders the ledger has (one per tag: nothing sent twice).
      const checkCorrectness = async () => {
        const lines: string[] = [];
        for (const tenantId of tenantIds) {
          const chain = await verifyAuditChain(pool, tenantId);
          const ledger = await withTenant(pool, tenantId, (tx) => ledgerOrders(tx));
          const atBroker = await new PaperBroker(pool, tenantId).getOrders();
          const tags = new Set(atBroker.map((o) => o.tag));
          const ok = chain.ok && atBroker.length === ledger.length && tags.size === atBroker.length;
          lines.push(
            `  tenant ${tenantId}: audit chain ${chain.ok ? 'valid' : 'BROKEN'} (${chain.rows} rows), ` +
              `${ledger.length} ledger orders, ${atBroker.length} at the broker, ` +
              `${tags.size} tags${ok ? '' : '  ← WRONG'}`,
          );
        }
        return `correctness:\n${lines.join('\n')}`;
      };

      await trading.runUntil(
        broker.runUntil(async () => {
          const placeAll = (batch: OrderPlacementInput[]) => placeStructures(client, batch, concurrency);
          await placeAll(await inputs(Math.min(10, n))); // warm-up: caches, connections, JIT
          const batch = await inputs(n);
          // Structures and SystemChecks in interleaved rounds: a machine that slows mid-run slows both
          // alike. The probes and the profile watch the first round's structures.
          const placed = { samples: [] as number[], wallMs: 0, outcomes: {} as Record<string, number> };
          const floor = { samples: [] as number[], wallMs: 0, workflowIds: [] as string[] };
          let probes: Awaited<ReturnType<typeof stopProbes>> | undefined;
          const statements = await pgStatements(servers.db.superUrl ?? servers.db.appUrl, 15);
          for (let round = 0, start = 0; round < rounds; round++) {
            const size = Math.floor(n / rounds) + (round < n % rounds ? 1 : 0);
            const slice = batch.slice(start, (start += size));
            const structures = async () => {
              if (round === 0) await startProbes(); // Postgres round trips by statement, in the workers' process
              const stopProfiles = round === 0 ? await startProfiles({ cpu: fileFlag('cpu-profile') }) : undefined;
              const r = await placeAll(slice);
              await stopProfiles?.();
              if (round === 0) probes = await stopProbes(slice.length);
              placed.samples.push(...r.samples);
              placed.wallMs += r.wallMs;
              for (const [k, v] of Object.entries(r.outcomes)) placed.outcomes[k] = (placed.outcomes[k] ?? 0) + v;
            };
            const checks = async () => {
              const r = await systemCheckFloor(client, size, concurrency);
              floor.samples.push(...r.samples);
              floor.wallMs += r.wallMs;
              floor.workflowIds.push(...r.workflowIds);
            };
            for (const part of round % 2 === 0 ? [structures, checks] : [checks, structures]) await part();
          }
          const statementReport = await statements?.report(n);
          const o = summarize(placed.samples, placed.wallMs);
          const f = summarize(floor.samples, floor.wallMs);
          console.log(
            `\nbench:orders — ${n} two-leg structures on the paper broker (${tenants} tenants),` +
              ` ${concurrency} concurrent; Temporal dev server + embedded Postgres on this machine`,
          );
          console.log(`outcomes: ${JSON.stringify(placed.outcomes)}`);
          console.log(formatSummary('SystemCheck (floor)', f));
          console.log(formatSummary('structure submit → filled', o));
          console.log(
            `structures per second: ${o.perSecond.toFixed(2)}  (legs per second: ${(o.perSecond * 2).toFixed(2)})`,
          );
          console.log(
            `ratio structure / SystemCheck: p50 ×${(o.p50 / f.p50).toFixed(2)}, p95 ×${(o.p95 / f.p95).toFixed(2)},` +
              ` p99 ×${(o.p99 / f.p99).toFixed(2)}, throughput ×${(o.perSecond / f.perSecond).toFixed(3)}`,
          );
          console.log('where a structure spends its time (median per workflow, from the histories):');
          console.log(
            await formatPhases(
              client,
              batch.map((i) => orderPlacementWorkflowId(i.tenantId, i.decisionId)),
            ),
          );
          console.log(`in the workers' process, per structure (the first round):\n${formatProbes(probes!)}`);
          console.log('where a SystemCheck spends its time:');
          console.log(await formatPhases(client, floor.workflowIds));
          if (statementReport)
            console.log(`Postgres statements, per structure (with its SystemCheck):\n${statementReport}`);
          console.log(await checkCorrectness());
        }),
      );
    },
  );
});
