/**
 * Per-tenant broker queues, on a real Temporal, a real Postgres and strict fake Kites over real
 * HTTP: each tenant's broker calls run only on the worker polling its own queue (the machine at
 * its registered static IP), a worker refuses a tenant whose queue it does not poll, and one
 * tenant's burst of 30 orders through two workers on its queue stays within 10 orders in any
 * second at the broker (the account's limit, held in Postgres across both workers).
 */
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { executeWorkflow } from '../../runtime/workflow-client';
import { orderPlacementWorkflowId, type OrderPlacementInput } from '../../contracts/orders';
import { tenantBrokerQueue, TASK_QUEUES } from '../../contracts/task-queues';
import { resolveBrokerTaskQueue, setDedicatedBrokerQueue, dedicatedQueuesOf } from '../../db/broker-queue';
import { withTenant } from '../../db/tenant';
import { brokerActivities, tradingActivities } from '../../workers/activities';
import { WRONG_BROKER_QUEUE } from '../../workers/broker-queue-guard';
import { BROKER_QUEUE_ACTIVITIES_PER_SECOND } from '../../workers/broker-worker';
import { createPool } from '../../db/client';
import { testClient, testEnv, testPool, testWorker, uniqueQueue } from '../support/env';
import { fakeKites, kiteOrder, kiteTenant, spreadInput, type FakeKite } from '../support/fake-kite';
import { FAST } from '../support/orders-env';

const creds = { apiKey: 'queueskey', accessToken: 'queuestoken', apiSecret: 'queuessecret' };
const pool = testPool('app');
const fakeKite = fakeKites(creds);

async function tenantWithOwnQueue(p: Pool, fake: FakeKite): Promise<{ id: number; queue: string }> {
  const id = await kiteTenant(fake, { armed: true, timeoutMs: 2000, settleMs: 3000 });
  const { rows } = await p.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [id]);
  const queue = tenantBrokerQueue(rows[0]!.slug);
  await withTenant(p, id, (tx) => setDedicatedBrokerQueue(tx, queue));
  return { id, queue };
}

/** A broker worker's activities that also note which tenant each call was for. */
function recordingBrokerWorker(queues: string[], seen: number[], workerPool: Pool = pool) {
  const acts = brokerActivities({
    pool: workerPool,
    workerId: `broker-${queues.join('+')}`,
    liveTrading: true,
    queues,
  });
  const recorded: Record<string, (...args: any[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(acts))
    recorded[name] = async (...args: any[]) => {
      const tenantId = (args[0] as { tenantId?: number } | undefined)?.tenantId;
      if (typeof tenantId === 'number') seen.push(tenantId);
      return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  return recorded;
}

const widePools: Pool[] = [];
afterAll(async () => {
  for (const p of widePools) await p.end();
});
function widePool(): Pool {
  const p = createPool(testEnv().appUrl, { max: 40 });
  widePools.push(p);
  return p;
}

describe('per-tenant broker queues', () => {
  it("runs each tenant's broker calls only on its own queue's worker", async () => {
    const [fakeA, fakeB] = [await fakeKite(), await fakeKite()];
    const a = await tenantWithOwnQueue(pool, fakeA);
    const b = await tenantWithOwnQueue(pool, fakeB);
    expect(await resolveBrokerTaskQueue(pool, a.id)).toBe(a.queue);
    expect(await resolveBrokerTaskQueue(pool, b.id)).toBe(b.queue);

    const client = await testClient();
    const tradingQueue = uniqueQueue('exec-trading');
    const trading = await testWorker({
      taskQueue: tradingQueue,
      activities: tradingActivities({ pool, workerId: 'exec-trading' }),
    });
    const seenA: number[] = [];
    const seenB: number[] = [];
    const workerA = await testWorker({ taskQueue: a.queue, activities: recordingBrokerWorker([a.queue], seenA) });
    const workerB = await testWorker({ taskQueue: b.queue, activities: recordingBrokerWorker([b.queue], seenB) });

    const place = async (tenantId: number) => {
      const input: OrderPlacementInput = {
        ...spreadInput(tenantId, `queues-${randomUUID().slice(0, 8)}`, FAST),
        // What a starter does: the tenant's queue from the database.
        brokerTaskQueue: await resolveBrokerTaskQueue(pool, tenantId),
      };
      return executeWorkflow(client, 'orderPlacement', {
        taskQueue: tradingQueue,
        workflowId: orderPlacementWorkflowId(tenantId, input.decisionId),
        args: [input],
        workflowExecutionTimeout: '2 minutes',
      });
    };
    const [ra, rb] = await trading.runUntil(
      workerA.runUntil(workerB.runUntil(Promise.all([place(a.id), place(b.id)]))),
    );
    expect(ra.status).toBe('filled');
    expect(rb.status).toBe('filled');
    expect(seenA.length).toBeGreaterThan(0);
    expect(seenB.length).toBeGreaterThan(0);
    expect(new Set(seenA)).toEqual(new Set([a.id]));
    expect(new Set(seenB)).toEqual(new Set([b.id]));
    // Each broker received exactly its own tenant's two legs.
    expect(
      fakeA
        .placements()
        .map((r) => r.form.tag)
        .sort(),
    ).toEqual(ra.legs.map((l) => l.tag).sort());
    expect(
      fakeB
        .placements()
        .map((r) => r.form.tag)
        .sort(),
    ).toEqual(rb.legs.map((l) => l.tag).sort());
  });

  it('refuses orders of a tenant whose queue the worker does not poll, nothing sent; reads pass', async () => {
    const fake = await fakeKite();
    const a = await tenantWithOwnQueue(pool, fake);
    const other = brokerActivities({ pool, workerId: 'other', liveTrading: true, queues: ['broker.someone-else'] });
    const shared = brokerActivities({ pool, workerId: 'shared', liveTrading: true });
    const order = { tenantId: a.id, ...kiteOrder(`WRONGQ${Date.now().toString(36)}`) };
    for (const acts of [other, shared])
      await expect(acts.placeOrder(order as never)).rejects.toMatchObject({
        type: WRONG_BROKER_QUEUE,
        message: expect.stringContaining(`trades from broker queue ${a.queue}`),
      });
    expect(fake.placements()).toHaveLength(0);
    // Reading the book is not bound to the registered IP: Reconciliation's read runs on the shared worker.
    const state = await new MockActivityEnvironment().run(shared.fetchBrokerState, { tenantId: a.id });
    expect(state).toMatchObject({ broker: 'kite', orders: [] });
    // Back on the shared queue: the shared worker's guard admits it again (after its cache expires).
    await withTenant(pool, a.id, (tx) => setDedicatedBrokerQueue(tx, null));
    expect(await resolveBrokerTaskQueue(pool, a.id)).toBe(TASK_QUEUES.broker);
  });

  it('refuses a malformed queue, a queue another tenant has, and a --tenants slug without one', async () => {
    const [f1, f2] = [await fakeKite(), await fakeKite()];
    const a = await tenantWithOwnQueue(pool, f1);
    const b = await kiteTenant(f2, { armed: false });
    await expect(withTenant(pool, b, (tx) => setDedicatedBrokerQueue(tx, 'Broker A'))).rejects.toThrow(
      /queue: expected broker\.<name>/,
    );
    await expect(withTenant(pool, b, (tx) => setDedicatedBrokerQueue(tx, a.queue))).rejects.toThrow(
      /already belongs to another tenant/,
    );
    const { rows } = await pool.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [b]);
    await expect(dedicatedQueuesOf(pool, [rows[0]!.slug])).rejects.toThrow(/uses the shared broker queue/);
    await expect(dedicatedQueuesOf(pool, ['no-such-tenant'])).rejects.toThrow(/no tenant with slug/);
  });

  it("keeps one tenant's 30-order burst through two workers on its queue to ≤ 10 in any second", async () => {
    const fake = await fakeKite();
    const t = await tenantWithOwnQueue(pool, fake);
    const client = await testClient();
    const tradingQueue = uniqueQueue('exec-burst');
    const trading = await testWorker({
      taskQueue: tradingQueue,
      activities: tradingActivities({ pool, workerId: 'exec-burst' }),
    });
    // Two processes' worth on the same queue: each its own pool, registry and limiter, as in production.
    // (Pools wider than a worker's default 10: a placement holds its tag lock's connection while it
    // places, so 15 concurrent placements would queue for connections and blur the rate measured.)
    const seen: number[][] = [[], []];
    const brokers = await Promise.all(
      seen.map((s) =>
        testWorker({
          taskQueue: t.queue,
          activities: recordingBrokerWorker([t.queue], s, widePool()),
          maxTaskQueueActivitiesPerSecond: BROKER_QUEUE_ACTIVITIES_PER_SECOND,
        }),
      ),
    );
    const started = Date.now();
    const burst = Array.from({ length: 15 }, (_, i) =>
      executeWorkflow(client, 'orderPlacement', {
        taskQueue: tradingQueue,
        workflowId: orderPlacementWorkflowId(t.id, `burst-${t.id}-${i}`),
        args: [
          { ...spreadInput(t.id, `burst-${t.id}-${i}`, { ...FAST, fillTimeoutMs: 30_000 }), brokerTaskQueue: t.queue },
        ],
        workflowExecutionTimeout: '3 minutes',
      }),
    );
    const results = await trading.runUntil(brokers[0]!.runUntil(brokers[1]!.runUntil(Promise.all(burst))));
    const elapsed = Date.now() - started;
    expect(results.map((r) => r.status)).toEqual(results.map(() => 'filled'));
    expect(fake.placements()).toHaveLength(30);
    expect(fake.rateLimited).toBe(0);
    expect(fake.maxPlacementsPerSecond()).toBeLessThanOrEqual(10);
    expect(seen[0]!.length).toBeGreaterThan(0);
    expect(seen[1]!.length).toBeGreaterThan(0);
    console.log(
      `30 orders (15 spreads) via 2 workers on ${t.queue}: ${elapsed} ms, ` +
        `max ${fake.maxPlacementsPerSecond()} in any second at the fake; ` +
        `calls per worker ${seen[0]!.length}/${seen[1]!.length}`,
    );
  });
});
