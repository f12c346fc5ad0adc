/**
 * Our database goes away mid-placement (in the soak run for longer than the old retry budgets
 * survived: about 85 s, 30 attempts of the ledger activities, 20 of the broker calls), then comes back. One
 * structure is inside its broker calls when Postgres stops; a second starts during the outage,
 * so its gate (a local activity) retries from the start, its backoff turned into timers.
 * Both finish filled, no tag reaches the broker twice, ledger and broker agree.
 */
import { startWorkflow } from '../../runtime/workflow-client';
import { Client as PgClient } from 'pg';
import { PaperBroker } from '../../broker/paper/paper-broker';
import { withTenant } from '../../db/tenant';
import { orderPlacementWorkflowId, type OrderPlacementInput, type OrderPlacementResult } from '../../contracts/orders';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { testClient, testEnv, testPool } from '../support/env';
import { startHarnessPostgres, stopHarnessPostgres } from '../support/pg-outage';
import { auditCount, FAST, orderWorkers, paperTenant, placementInput } from '../support/orders-env';
import { maybeRecordHistory } from '../support/record-history';

/**
 * Long enough that the gate's local-activity backoff turns into timers (past 5 s). `npm run
 * test:soak` runs it at 95 s, longer than the old budgets (≈ 85 s and ≈ 88 s of backoff).
 */
const OUTAGE_MS = Number(process.env.QS_OUTAGE_MS ?? 30_000);
const TIMEOUT_MS = 205_000 + OUTAGE_MS;
const pool = testPool('app');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function databaseReachable(): Promise<boolean> {
  const c = new PgClient({ connectionString: testEnv().appUrl, connectionTimeoutMillis: 2000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function intentsRecorded(tenantId: number): Promise<boolean> {
  return withTenant(pool, tenantId, async ({ client }) => {
    const { rows } = await client.query('SELECT 1 FROM orders WHERE tenant_id = $1 LIMIT 1', [tenantId]);
    return rows.length > 0;
  });
}

describe('OrderPlacement outlasts an outage of our own database', () => {
  it(
    `finishes both structures after Postgres is down for ${OUTAGE_MS / 1000} s`,
    async () => {
      const client = await testClient();
      // Every paper broker call takes a second: the outage lands inside the first placement.
      const tenantId = await paperTenant(pool, { latencyMs: 1000 });
      const options = { ...FAST, fillTimeoutMs: 60_000 };
      // MARKET entries: the simulated market moves on during the outage, a quoted limit may not fill after it.
      const atMarket = (i: OrderPlacementInput): OrderPlacementInput => ({
        ...i,
        legs: i.legs.map((l) => ({ ...l, orderType: 'MARKET', limitPrice: undefined })),
      });
      const inputs = [
        atMarket(await placementInput(pool, tenantId, 'BULL_PUT_SPREAD', 1, options)),
        atMarket(await placementInput(pool, tenantId, 'BEAR_CALL_SPREAD', 1, options)),
      ];
      const start = (i: number) =>
        startWorkflow(client, 'orderPlacement', {
          taskQueue: TASK_QUEUES.trading,
          workflowId: orderPlacementWorkflowId(tenantId, inputs[i]!.decisionId),
          args: [inputs[i]!],
          workflowExecutionTimeout: '10 minutes',
        });

      const results = await orderWorkers(pool).run(async () => {
        const first = await start(0);
        for (let i = 0; i < 200 && !(await intentsRecorded(tenantId)); i++) await pause(50);
        await stopHarnessPostgres();
        const stoppedAt = Date.now();
        const second = await start(1);
        expect(await databaseReachable()).toBe(false);

        // What the first structure's pending activity went through while the database was away.
        let maxAttempt = 0;
        let lastFailure = '';
        while (Date.now() - stoppedAt < OUTAGE_MS) {
          const d = await first.describe();
          for (const a of d.raw.pendingActivities ?? []) {
            if ((a.attempt ?? 0) > maxAttempt) maxAttempt = a.attempt ?? 0;
            if (a.lastFailure?.message) lastFailure = a.lastFailure.message;
          }
          expect(d.status.name).toBe('RUNNING');
          await pause(2000);
        }
        await startHarnessPostgres();
        process.stderr.write(
          `[outage] Postgres back after ${Math.round((Date.now() - stoppedAt) / 1000)} s; ` +
            `first structure's broker activity reached attempt ${maxAttempt} (${lastFailure})\n`,
        );
        expect(maxAttempt).toBeGreaterThan(3);
        expect(lastFailure).not.toBe('');
        return Promise.all([first.result(), second.result()] as Promise<OrderPlacementResult>[]);
      });

      for (const r of results) {
        expect({ status: r.status, reason: r.reason, anomalies: r.anomalies }).toEqual({
          status: 'filled',
          reason: null,
          anomalies: [],
        });
        expect(r.reconciliationClean).toBe(true);
        expect(r.legs.map((l) => l.status)).toEqual(['FILLED', 'FILLED']);
      }
      // The second structure's gate waited the outage out in timers, not in one open workflow task.
      const events = (await client.workflow.getHandle(results[1]!.workflowId).fetchHistory()).events ?? [];
      expect(events.filter((e) => e.timerStartedEventAttributes).length).toBeGreaterThan(0);

      // No tag twice at the broker; every broker order is in the ledger with the broker's state.
      const brokerOrders = await new PaperBroker(pool, tenantId).getOrders();
      expect(brokerOrders).toHaveLength(4);
      expect(new Set(brokerOrders.map((o) => o.tag)).size).toBe(4);
      expect(await auditCount(pool, tenantId, 'paper.duplicate_tag')).toBe(0);
      const ledger = await withTenant(
        pool,
        tenantId,
        async ({ client: c }) =>
          (
            await c.query<{ tag: string; broker_order_id: string; status: string; filled_quantity: number }>(
              'SELECT tag, broker_order_id, status, filled_quantity FROM orders WHERE tenant_id = $1',
              [tenantId],
            )
          ).rows,
      );
      expect(ledger).toHaveLength(4);
      for (const b of brokerOrders)
        expect(ledger.find((o) => o.tag === b.tag)).toMatchObject({
          broker_order_id: b.brokerOrderId,
          status: b.status,
          filled_quantity: b.filledQuantity,
        });
      await maybeRecordHistory(client, results[0]!.workflowId, 'order-placement-db-outage');
      await maybeRecordHistory(client, results[1]!.workflowId, 'order-placement-db-outage-gate');
    },
    TIMEOUT_MS,
  );
});
