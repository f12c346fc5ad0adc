/**
 * TailHedgeRoll on the paper broker (real Temporal, real Postgres): a protective put expiring
 * inside the roll window is replaced — the new put's fill precedes the old put's exit — and a
 * second firing places nothing; a hedge outside the window is left alone; a spent budget
 * refuses with the reason; no hedge at all → just buy.
 */
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { executeWorkflow } from '../../runtime/workflow-client';
import { changeHedgeSettings, type HedgeSettingsPatch } from '../../db/hedging';
import { hedgedTenant } from '../support/hedge-env';
import { withTenant } from '../../db/tenant';
import { hedgeCheckWorkflowId, hedgeRollWorkflowId, type HedgeRollResult } from '../../contracts/hedge';
import { TASK_QUEUES, tenantBrokerQueue } from '../../contracts/task-queues';
import { testClient, testPool, testWorker } from '../support/env';
import { brokerActivities, tradingActivities } from '../../workers/activities';
import { setDedicatedBrokerQueue } from '../../db/broker-queue';
import { auditCount, FAST, orderWorkers, PAPER_DAY } from '../support/orders-env';
import { maybeRecordHistory } from '../support/record-history';

const pool = testPool('app');
const workers = orderWorkers(pool);
const DATE = PAPER_DAY.date; // 2026-05-06, a Wednesday; weeklies expire 05-12, 05-19, 05-26, 06-02
let client: Client;

beforeAll(async () => {
  client = await testClient();
});

const hedged = async (settings: HedgeSettingsPatch = {}, heldExpiry?: string) =>
  (await hedgedTenant(pool, client, settings, heldExpiry)).tenantId;

function check(tenantId: number, label: string): Promise<HedgeRollResult> {
  const workflowId = hedgeCheckWorkflowId(tenantId, `${label}-${randomUUID().slice(0, 6)}`);
  return executeWorkflow(client, 'scheduledHedgeRoll', {
    taskQueue: TASK_QUEUES.trading,
    workflowId,
    args: [{ tenantId, date: DATE, options: FAST }],
    workflowExecutionTimeout: '5 minutes',
  });
}

async function ledger(tenantId: number) {
  return withTenant(pool, tenantId, async ({ client: c }) => ({
    orders: (
      await c.query<{ tradingsymbol: string; side: string; status: string; decision_id: string }>(
        'SELECT tradingsymbol, side, status, decision_id FROM orders WHERE tenant_id = $1 ORDER BY id',
        [tenantId],
      )
    ).rows,
    positions: Object.fromEntries(
      (
        await c.query<{ tradingsymbol: string; quantity: number }>(
          'SELECT tradingsymbol, quantity FROM positions WHERE tenant_id = $1',
          [tenantId],
        )
      ).rows.map((r) => [r.tradingsymbol, r.quantity]),
    ),
  }));
}

async function fillTimes(tenantId: number, bought: string, sold: string) {
  return withTenant(pool, tenantId, async ({ client: c }) => {
    const q = (symbol: string, side: string) =>
      c.query<{ first: Date; last: Date }>(
        `SELECT min(f.filled_at) AS first, max(f.filled_at) AS last FROM fills f
           JOIN orders o ON o.tenant_id = f.tenant_id AND o.tag = f.order_tag
          WHERE o.tenant_id = $1 AND o.tradingsymbol = $2 AND o.side = $3`,
        [tenantId, symbol, side],
      );
    return { buy: (await q(bought, 'BUY')).rows[0]!, sell: (await q(sold, 'SELL')).rows[0]! };
  });
}

describe('TailHedgeRoll', () => {
  it(
    'rolls a put expiring inside the window: buys the new put, then sells the old; ' + 'a second firing places nothing',
    async () => {
      await workers.run(async () => {
        const tenantId = await hedged({}, '2026-05-12');
        const held = Object.keys((await ledger(tenantId)).positions);
        expect(held).toHaveLength(1);

        const r = await check(tenantId, 'roll');
        expect(r.status).toBe('rolled');
        expect(r.rollWorkflowId).toBe(hedgeRollWorkflowId(tenantId, '2026-05-19'));
        expect(r.bought).toMatchObject({ instrument: 'NIFTY', expiry: '2026-05-19', lots: 1 });
        expect(Math.abs(r.bought!.delta)).toBeGreaterThan(0.02);
        expect(Math.abs(r.bought!.delta)).toBeLessThan(0.1);
        expect(r.sold.map((s) => s.tradingsymbol)).toEqual(held);
        expect(r.placements.map((p) => `${p.side}:${p.status}`)).toEqual(['BUY:filled', 'SELL:filled']);

        // Never unhedged: every fill of the new put precedes the old put's first exit fill.
        const t = await fillTimes(tenantId, r.bought!.tradingsymbol, held[0]!);
        expect(t.buy.last.getTime()).toBeLessThanOrEqual(t.sell.first.getTime());
        const after = await ledger(tenantId);
        expect(after.positions[held[0]!]).toBe(0);
        expect(after.positions[r.bought!.tradingsymbol]).toBe(r.bought!.quantity);
        expect(await auditCount(pool, tenantId, 'hedge.rolled')).toBe(1);

        // The same day's second firing: the hedge is now outside the window; nothing is placed.
        const again = await check(tenantId, 'again');
        expect(again.status).toBe('nothing_to_do');
        expect(again.reason).toMatch(/2026-05-19, outside the 5-trading-day roll window/);
        expect((await ledger(tenantId)).orders).toEqual(after.orders);

        // Starting the roll itself again under its business key is refused by Temporal.
        await expect(
          executeWorkflow(client, 'tailHedgeRoll', {
            taskQueue: TASK_QUEUES.trading,
            workflowId: r.rollWorkflowId!,
            args: [{} as never],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          }),
        ).rejects.toThrow(/already/i);
        expect((await ledger(tenantId)).orders).toEqual(after.orders);

        await maybeRecordHistory(client, r.rollWorkflowId!, 'tail-hedge-roll-rolled');
      });
    },
  );

  it('leaves a hedge outside the window alone', async () => {
    await workers.run(async () => {
      const tenantId = await hedged({}, '2026-05-26');
      const before = await ledger(tenantId);
      const r = await check(tenantId, 'outside');
      expect(r).toMatchObject({ status: 'nothing_to_do', bought: null, sold: [] });
      expect(r.reason).toMatch(/2026-05-26, outside the 5-trading-day roll window/);
      expect((await ledger(tenantId)).orders).toEqual(before.orders);
    });
  });

  it('refuses a roll the year budget cannot pay for, with the reason and the numbers', async () => {
    await workers.run(async () => {
      const tenantId = await hedged({ budgetPct: '0.0001' }, '2026-05-12');
      const before = await ledger(tenantId);
      const workflowId = hedgeCheckWorkflowId(tenantId, `refused-${randomUUID().slice(0, 6)}`);
      const r = await executeWorkflow(client, 'scheduledHedgeRoll', {
        taskQueue: TASK_QUEUES.trading,
        workflowId,
        args: [{ tenantId, date: DATE, options: FAST }],
      });
      expect(r.status).toBe('refused');
      expect(r.reason).toMatch(
        new RegExp(
          /^HEDGE_BUDGET_EXCEEDED: roll 1 put\(s\) expiring 2026-05-12 costs ₹[\d.]+ /.source +
            /but ₹-?[\d.]+ of the year's ₹[\d.]+ hedge budget is left$/.source,
        ),
      );
      expect(Number(r.budget!.rollCost)).toBeGreaterThan(Number(r.budget!.remaining));
      expect((await ledger(tenantId)).orders).toEqual(before.orders);
      expect(await auditCount(pool, tenantId, 'hedge.refused')).toBe(1);
      await maybeRecordHistory(client, workflowId, 'scheduled-hedge-roll-refused');
    });
  });

  it('buys the first hedge when there is none, and does nothing while hedging is off', async () => {
    await workers.run(async () => {
      const tenantId = await hedged({ lots: 2 });
      const r = await check(tenantId, 'first');
      expect(r).toMatchObject({ status: 'bought', sold: [], bought: { expiry: '2026-05-19', lots: 2 } });
      expect((await ledger(tenantId)).positions[r.bought!.tradingsymbol]).toBe(r.bought!.quantity);

      await withTenant(pool, tenantId, (tx) => changeHedgeSettings(tx, { enabled: false }, null));
      expect((await check(tenantId, 'off')).status).toBe('disabled');
    });
  });

  it("places through the tenant's own broker queue when it has one", async () => {
    const tenantId = await hedged();
    const { rows } = await pool.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [tenantId]);
    const queue = tenantBrokerQueue(rows[0]!.slug);
    await withTenant(pool, tenantId, (tx) => setDedicatedBrokerQueue(tx, queue));
    // Only the tenant's own broker worker runs: the roll completes only if its placement went there.
    const own = await testWorker({
      taskQueue: queue,
      activities: brokerActivities({ pool, workerId: 'hedge-own', liveTrading: false, queues: [queue] }),
    });
    const trading = await testWorker({
      taskQueue: TASK_QUEUES.trading,
      activities: tradingActivities({ pool, workerId: 'hedge-trading' }),
    });
    const r = await trading.runUntil(own.runUntil(check(tenantId, 'own-queue')));
    expect(r).toMatchObject({ status: 'bought', placements: [{ side: 'BUY', status: 'filled' }] });
    const placement = await client.workflow.getHandle(r.placements[0]!.workflowId).fetchHistory();
    const started = placement.events![0]!.workflowExecutionStartedEventAttributes!;
    expect(started.input!.payloads!.map((p) => JSON.parse(Buffer.from(p.data!).toString()))).toMatchObject([
      { brokerTaskQueue: queue },
    ]);
    await maybeRecordHistory(client, r.rollWorkflowId!, 'tail-hedge-roll-own-queue');
  });
});
