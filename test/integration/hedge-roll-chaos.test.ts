/**
 * TailHedgeRoll through a worker SIGKILL: the process running the trading and broker workers
 * is killed while the new put is being bought, then started again. The roll completes with
 * exactly one new put (one order, filled once) and the old put sold.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startWorkflow } from '../../runtime/workflow-client';
import { withTenant } from '../../db/tenant';
import { hedgeCheckWorkflowId, hedgeDecisionId } from '../../contracts/hedge';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { testClient, testPool } from '../support/env';
import { FAST, orderWorkers, PAPER_DAY } from '../support/orders-env';
import { hedgedTenant } from '../support/hedge-env';

const ROOT = path.join(__dirname, '..', '..');
const pool = testPool('app');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The order workers in a child process (test/support/order-workers-child.ts), resolved once polling. */
function workerProcess(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'run-ts.js'), path.join(ROOT, 'test', 'support', 'order-workers-child.ts')],
    { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
  });
}

const sigkill = (c: ChildProcess) =>
  new Promise<void>((r) =>
    c.exitCode !== null || c.signalCode !== null ? r() : (c.once('exit', () => r()), c.kill('SIGKILL')),
  );

async function ordersOf(tenantId: number, decisionId: string) {
  return withTenant(pool, tenantId, async ({ client }) => {
    const { rows } = await client.query<{ tradingsymbol: string; side: string; filled_quantity: number }>(
      'SELECT tradingsymbol, side, filled_quantity FROM orders WHERE tenant_id = $1 AND decision_id = $2',
      [tenantId, decisionId],
    );
    return rows;
  });
}

describe('TailHedgeRoll through a worker SIGKILL', () => {
  it('buys exactly one new put when the workers die mid-roll', async () => {
    const client = await testClient();
    const { tenantId, heldSymbol } = await orderWorkers(pool).run(() => hedgedTenant(pool, client, {}, '2026-05-12'));

    let workers = await workerProcess();
    const handle = await startWorkflow(client, 'scheduledHedgeRoll', {
      taskQueue: TASK_QUEUES.trading,
      workflowId: hedgeCheckWorkflowId(tenantId, `chaos-${randomUUID().slice(0, 6)}`),
      args: [{ tenantId, date: PAPER_DAY.date, options: FAST }],
      workflowTaskTimeout: '5 seconds',
    });
    const buyDecision = hedgeDecisionId(tenantId, '2026-05-19', 'buy');
    // Kill as soon as the new put's intent is in the ledger: the buy is in flight.
    const deadline = Date.now() + 60_000;
    while ((await ordersOf(tenantId, buyDecision)).length === 0) {
      if (Date.now() > deadline) throw new Error('the roll never started buying');
      await pause(20);
    }
    await sigkill(workers);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await pause(500);
    workers = await workerProcess();
    try {
      const r = await handle.result();
      expect(r.status).toBe('rolled');
      const buys = await ordersOf(tenantId, buyDecision);
      expect(buys).toEqual([
        { tradingsymbol: r.bought!.tradingsymbol, side: 'BUY', filled_quantity: r.bought!.quantity },
      ]);
      const positions = await withTenant(pool, tenantId, async ({ client: c }) =>
        Object.fromEntries(
          (
            await c.query<{ tradingsymbol: string; quantity: number }>(
              'SELECT tradingsymbol, quantity FROM positions WHERE tenant_id = $1',
              [tenantId],
            )
          ).rows.map((p) => [p.tradingsymbol, p.quantity]),
        ),
      );
      expect(positions).toEqual({ [heldSymbol!]: 0, [r.bought!.tradingsymbol]: r.bought!.quantity });
    } finally {
      await sigkill(workers);
    }
  });
});
