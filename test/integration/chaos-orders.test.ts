/**
 * Chaos: structures are placed while the process running the trading and broker workers is
 * SIGKILLed at random instants (at least 20 times) and restarted. The paper broker adds
 * latency, ambiguous timeouts (the order exists but the call fails) and partial fills. At the
 * end: every workflow finished, no tag reached the exchange twice, every broker order is in
 * the ledger with the same status and fills, positions agree, and a full reconciliation is clean.
 *
 * One seed decides the kill instants, the structures' decision ids and the paper faults' seed.
 * It is printed first; CHAOS_SEED=<seed> runs the same schedule again (the machine's timing
 * still decides exactly where each kill lands in a workflow).
 */
import { executeWorkflow, startWorkflow } from '../../runtime/workflow-client';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomInt, randomUUID } from 'node:crypto';
import { PaperBroker } from '../../broker/paper/paper-broker';
import { withTenant } from '../../db/tenant';
import { Rng } from '../../domain/random';
import type { StructureKind } from '../../domain/strategies';
import { orderPlacementWorkflowId } from '../../contracts/orders';
import type { OrderPlacementResult } from '../../contracts/orders';
import { reconciliationWorkflowId } from '../../contracts/reconciliation';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { testClient, testPool } from '../support/env';
import { auditCount, paperTenant, placementInput } from '../support/orders-env';

const ROOT = path.join(__dirname, '..', '..');
const KILLS = Number(process.env.QS_CHAOS_KILLS ?? 20);
const TIMEOUT_MS = 240_000 + Math.max(0, KILLS - 20) * 6_000;
const pool = testPool('app');

function chaosSeed(): number {
  const given = process.env.CHAOS_SEED;
  if (given === undefined || given === '') return randomInt(2 ** 31);
  if (!/^\d{1,10}$/.test(given)) throw new Error(`CHAOS_SEED: expected a non-negative integer, got "${given}"`);
  return Number(given);
}

function startWorkers(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'run-ts.js'), path.join(ROOT, 'test', 'support', 'order-workers-child.ts')],
    {
      cwd: ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
  });
}

const kill = (c: ChildProcess) =>
  new Promise<void>((r) =>
    c.exitCode !== null || c.signalCode !== null ? r() : (c.once('exit', () => r()), c.kill('SIGKILL')),
  );
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chaos: SIGKILL the order workers while structures are being placed', () => {
  it(
    `keeps broker and ledger identical through ${KILLS}+ kills`,
    async () => {
      const seed = chaosSeed();
      process.stderr.write(`[chaos] seed ${seed}: CHAOS_SEED=${seed} replays this schedule\n`);
      const rng = new Rng(seed);
      const client = await testClient();
      const tenantId = await paperTenant(pool, {
        latencyMs: [5, 60],
        random: { seed: `chaos-${seed}`, ambiguousRate: 0.25, partialRate: 0.3 },
      });
      const options = { pollIntervalMs: 150, watchMaxMs: 3000, heartbeatTimeoutMs: 2000, fillTimeoutMs: 20_000 };
      const kinds: StructureKind[] = ['BULL_PUT_SPREAD', 'BEAR_CALL_SPREAD', 'IRON_CONDOR', 'LONG_STRANGLE'];
      const running = new Map<string, Promise<OrderPlacementResult>>();
      let started = 0;
      const launch = async () => {
        const kind = kinds[started % kinds.length]!;
        const input = await placementInput(
          pool,
          tenantId,
          kind,
          1 + (started % 3),
          options,
          `chaos-${seed}-${started}`,
        );
        started++;
        const handle = await startWorkflow(client, 'orderPlacement', {
          taskQueue: TASK_QUEUES.trading,
          workflowId: orderPlacementWorkflowId(tenantId, input.decisionId),
          args: [input],
          workflowTaskTimeout: '5 seconds',
        });
        running.set(handle.workflowId, handle.result() as Promise<OrderPlacementResult>);
      };

      const t0 = Date.now();
      let kills = 0;
      let killsWhileBusy = 0;
      for (let i = 0; i < 4; i++) await launch();
      while (kills < KILLS) {
        const child = await startWorkers();
        await launch();
        await pause(rng.int(150, 1049));
        const busy = (
          await Promise.all(
            [...running.values()].map((p) =>
              Promise.race([
                p.then(
                  () => false,
                  () => false,
                ),
                pause(0).then(() => true),
              ]),
            ),
          )
        ).some(Boolean);
        await kill(child);
        kills++;
        if (busy) killsWhileBusy++;
        process.stderr.write(
          `[chaos] kill ${kills} at ${Math.round((Date.now() - t0) / 1000)} s, ${started} structures started\n`,
        );
      }
      // Let the last incarnation finish everything.
      const last = await startWorkers();
      let results: OrderPlacementResult[];
      const progress = setInterval(async () => {
        const open: string[] = [];
        for (const id of running.keys()) {
          const d = await client.workflow.getHandle(id).describe();
          if (d.status.name === 'RUNNING') open.push(id);
        }
        process.stderr.write(
          `[chaos] draining at ${Math.round((Date.now() - t0) / 1000)} s: ` +
            `${open.length} still running ${open.slice(0, 3).join(' ')}\n`,
        );
        for (const id of open.slice(0, 2)) {
          const h = client.workflow.getHandle(id);
          const d = await h.describe();
          const pend = (d.raw.pendingActivities ?? []).map(
            (a) => `${a.activityType?.name} attempt=${a.attempt} state=${a.state} fail=${a.lastFailure?.message ?? ''}`,
          );
          const hist = await h.fetchHistory();
          const tail = (hist.events ?? []).slice(-6).map((e) => `${e.eventId}:${e.eventType}`);
          process.stderr.write(
            `[chaos]   ${id} pending=${JSON.stringify(pend)} ` +
              `wftPending=${JSON.stringify(d.raw.pendingWorkflowTask ?? null)} tail=${tail.join(',')}\n`,
          );
        }
      }, 10_000);
      try {
        results = await Promise.all(running.values());
        clearInterval(progress);
      } finally {
        clearInterval(progress);
        await kill(last).catch(() => undefined);
      }

      // Nothing stuck: every workflow completed.
      for (const id of running.keys())
        expect((await client.workflow.getHandle(id).describe()).status.name).toBe('COMPLETED');

      // No tag reached the exchange twice, and every sent tag is in the ledger with the broker's state.
      const broker = new PaperBroker(pool, tenantId);
      const brokerOrders = await broker.getOrders();
      expect(await auditCount(pool, tenantId, 'paper.duplicate_tag')).toBe(0);
      expect(new Set(brokerOrders.map((o) => o.tag)).size).toBe(brokerOrders.length);
      const ledger = await withTenant(
        pool,
        tenantId,
        async ({ client: c }) =>
          (
            await c.query<{ tag: string; broker_order_id: string | null; status: string; filled_quantity: number }>(
              'SELECT tag, broker_order_id, status, filled_quantity FROM orders WHERE tenant_id = $1',
              [tenantId],
            )
          ).rows,
      );
      const byTag = new Map(ledger.map((o) => [o.tag, o]));
      for (const b of brokerOrders) {
        expect(byTag.get(b.tag!)).toMatchObject({
          broker_order_id: b.brokerOrderId,
          status: b.status,
          filled_quantity: b.filledQuantity,
        });
      }
      expect(ledger.filter((o) => o.broker_order_id !== null)).toHaveLength(brokerOrders.length);
      const fills = await withTenant(pool, tenantId, async ({ client: c }) =>
        Number(
          (await c.query('SELECT count(*) FROM fills WHERE tenant_id = $1 AND NOT inferred', [tenantId])).rows[0].count,
        ),
      );
      expect(fills).toBe((await broker.getTrades()).length);

      // A full reconciliation agrees (run on a fresh worker process).
      const verifier = await startWorkers();
      let verdict;
      try {
        verdict = await executeWorkflow(client, 'reconciliation', {
          taskQueue: TASK_QUEUES.trading,
          workflowId: reconciliationWorkflowId(tenantId, `chaos-${randomUUID()}`),
          args: [{ tenantId, recheckAfterMs: 500 }],
        });
      } finally {
        await kill(verifier);
      }
      expect(verdict).toMatchObject({
        clean: true,
        ledgerOrders: brokerOrders.length,
        brokerOrders: brokerOrders.length,
      });

      const outcomes: Record<string, number> = {};
      for (const r of results) outcomes[r.status] = (outcomes[r.status] ?? 0) + 1;
      const counts = {
        kills,
        killsWhileBusy,
        structures: results.length,
        outcomes,
        brokerOrders: brokerOrders.length,
        fills,
        ambiguous: await auditCount(pool, tenantId, 'order.ambiguous'),
        foundByTag: await auditCount(pool, tenantId, 'order.found_by_tag'),
        duplicateTags: 0,
        seconds: Math.round((Date.now() - t0) / 1000),
      };
      process.stdout.write(`[chaos] ${JSON.stringify({ seed, ...counts })}\n`);
      expect(kills).toBeGreaterThanOrEqual(KILLS);
      expect(killsWhileBusy).toBeGreaterThanOrEqual(KILLS / 2);
      expect(results.every((r) => r.reconciliationClean)).toBe(true);
    },
    TIMEOUT_MS,
  );
});
