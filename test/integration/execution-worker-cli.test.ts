/**
 * `qs broker queue` and `qs worker broker --tenants` as an operator types them, on the test run's
 * Temporal and Postgres: a tenant gets its own queue (refusals in one line, exit 2), the real
 * worker process serves that queue (a placement started with the tenant's resolved queue fills
 * through it), stops cleanly on SIGTERM, and the tenant goes back to the shared queue.
 */
import { randomUUID } from 'node:crypto';
import { executeWorkflow } from '../../runtime/workflow-client';
import { orderPlacementWorkflowId } from '../../contracts/orders';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { resolveBrokerTaskQueue } from '../../db/broker-queue';
import { tradingActivities } from '../../workers/activities';
import { testClient, testEnv, testPool, testWorker, uniqueQueue } from '../support/env';
import { FAST, paperTenant, placementInput } from '../support/orders-env';
import { runQs, startQs } from '../support/run-qs';

const pool = testPool('app');

function env() {
  const e = testEnv();
  return {
    QS_DATA_DIR: `${e.tmp}/no-stack`,
    TEMPORAL_ADDRESS: e.temporalAddress,
    TEMPORAL_NAMESPACE: e.namespace,
    DATABASE_URL: e.adminUrl,
    QS_APP_DATABASE_URL: e.appUrl,
  };
}
const qs = (...args: string[]) => runQs(args, env());

async function slugOf(id: number): Promise<string> {
  return (await pool.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [id])).rows[0]!.slug;
}

describe('qs broker queue / qs worker broker', () => {
  it("gives a tenant its own queue and serves it from a worker process of that tenant's", async () => {
    const id = await paperTenant(pool);
    const slug = await slugOf(id);

    const early = await qs('worker', 'broker', '--tenants', slug);
    expect(early.code).toBe(2);
    expect(early.stderr.trim()).toBe(
      `qs: --tenants: ${slug} uses the shared broker queue; ` +
        `give it its own first: qs broker queue set --tenant ${slug}`,
    );

    const set = await qs('broker', 'queue', 'set', '--tenant', slug, '--json');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({ tenant: slug, taskQueue: `broker.${slug}`, dedicated: true });

    // The real worker process, polling the tenant's own queue only.
    const worker = await startQs(['worker', 'broker', '--tenants', slug], env(), /worker started/, 60_000);
    try {
      expect(worker.output()).toContain(`broker.${slug}`);
      const client = await testClient();
      const tradingQueue = uniqueQueue('exec-cli-trading');
      const trading = await testWorker({
        taskQueue: tradingQueue,
        activities: tradingActivities({ pool, workerId: 'exec-cli-trading' }),
      });
      const input = {
        ...(await placementInput(pool, id, 'BULL_PUT_SPREAD', 1, FAST, `cli-${randomUUID().slice(0, 8)}`)),
        brokerTaskQueue: await resolveBrokerTaskQueue(pool, id),
      };
      const result = await trading.runUntil(
        executeWorkflow(client, 'orderPlacement', {
          taskQueue: tradingQueue,
          workflowId: orderPlacementWorkflowId(id, input.decisionId),
          args: [input],
          workflowExecutionTimeout: '2 minutes',
        }),
      );
      expect(result.status).toBe('filled');
    } finally {
      worker.child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((r) => worker.child.once('exit', r));
    expect(code).toBe(0);

    const clear = await qs('broker', 'queue', 'clear', '--tenant', slug);
    expect(clear.stdout.trim()).toBe(`${slug}: broker calls on the shared broker queue`);
    expect(await resolveBrokerTaskQueue(pool, id)).toBe(TASK_QUEUES.broker);
  });
});
