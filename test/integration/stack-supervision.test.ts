/**
 * The stack under faults, as an operator meets them, on one real `qs stack up`: a second start
 * on the same data directory leaves the first alone; the Temporal dev server and the postmaster
 * SIGKILLed while structures are placed come back by themselves and nothing is lost or doubled;
 * a killed worker and a killed API are restarted (the API listening even while Temporal does not
 * answer); Ctrl-C mid-placement stops in order and the placement completes after a restart; the
 * leftovers of a SIGKILLed supervisor are stopped by the next start.
 * Prints the recovery times (kill → /readyz 200).
 */
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { isRunning, readStackLock } from '../../runtime/stack-lock';
import { runQs } from '../support/run-qs';
import { until } from '../support/until';
import {
  processesMentioning,
  readyz,
  stackPid,
  startStack,
  stopWithSigint,
  testStack,
  waitUntil,
  type TestStack,
} from '../support/stack-harness';

jest.setTimeout(300_000);

let stack: TestStack;
let running: Awaited<ReturnType<typeof startStack>> | undefined;
const recovery: Record<string, number> = {};

beforeAll(async () => {
  stack = await testStack('stack-supervision');
  running = await startStack(stack);
});

afterAll(async () => {
  if (running) await stopWithSigint(running.child);
  console.log(
    `recovery, kill → /readyz 200 (ms): ${Object.entries(recovery)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
});

/** The CLI as an operator types it; it finds the stack through the data directory. */
async function qs(...args: string[]): Promise<string> {
  const r = await runQs(args, { QS_DATA_DIR: stack.dataDir });
  if (r.code !== 0) throw new Error(`qs ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Starts `n` placements at once through the CLI; their workflow ids. */
async function place(n: number, structure: string): Promise<string[]> {
  const runs = Array.from({ length: n }, () =>
    qs('orders', 'place', '--tenant', 'demo', '--structure', structure, '--lots', '1', '--json'),
  );
  return (await Promise.all(runs)).map((out) => (JSON.parse(out) as { workflowId: string }).workflowId);
}

async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    return await fn(new Client({ connection, namespace: 'quantsentinel' }));
  } finally {
    await connection.close();
  }
}

/** Every placement ran to its end (COMPLETED, whatever the fill); their result statuses. */
async function allFinished(workflowIds: string[]): Promise<string[]> {
  return withClient(async (client) => {
    const statuses: string[] = [];
    for (const id of workflowIds) {
      const handle = client.workflow.getHandle(id);
      const result = (await handle.result()) as { status: string; reason?: string | null };
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      statuses.push(result.reason ? `${result.status} (${result.reason})` : result.status);
    }
    return statuses;
  });
}

interface LedgerOrder {
  tag: string;
  workflowId: string;
  brokerOrderId: string | null;
}

/** The ledger and a reconciliation: clean, and its counts are the ledger's, row for row. */
async function expectLedgerReconciles(placed: string[]): Promise<void> {
  const shown = JSON.parse(await qs('orders', 'show', '--tenant', 'demo', '--limit', '500', '--json')) as {
    orders: LedgerOrder[];
  };
  const tags = shown.orders.map((o) => o.tag);
  expect(new Set(tags).size).toBe(tags.length); // no order tag twice
  for (const id of placed) expect(shown.orders.some((o) => o.workflowId === id)).toBe(true);
  const verdict = JSON.parse(await qs('reconcile', '--tenant', 'demo', '--json')) as {
    clean: boolean;
    ledgerOrders: number;
    accountedOrders: number;
    brokerOrders: number;
    mismatches: unknown[];
  };
  expect(verdict).toMatchObject({ clean: true, mismatches: [] });
  expect(verdict.ledgerOrders).toBe(shown.orders.length);
  expect(verdict.accountedOrders).toBe(shown.orders.length);
  expect(verdict.brokerOrders).toBe(shown.orders.filter((o) => o.brokerOrderId).length);
}

const ready = async () => (await readyz(stack)).status === 200;

async function pollerIdentities(queue: string): Promise<string[]> {
  return withClient(async (client) => {
    const res = await client.workflowService.describeTaskQueue({
      namespace: 'quantsentinel',
      taskQueue: { name: queue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return (res.pollers ?? []).map((p) => p.identity ?? '');
  });
}

describe('a supervised stack', () => {
  it('refuses a second stack on the same data directory and leaves the first serving', async () => {
    const before = readStackLock(stack.dataDir)!;
    const second = await runQs(['stack', 'up'], stack.env);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(`a stack is already running on ${stack.dataDir}`);
    expect(second.stderr).toContain(`supervisor pid ${running!.child.pid}`);
    expect(second.stderr).toContain(stack.apiUrl);
    expect(second.stderr).not.toMatch(/\n\s+at /);
    // Nothing of the first stack was touched.
    expect(readStackLock(stack.dataDir)).toEqual(before);
    for (const c of before.children) expect(isRunning(c)).toBe(true);
    expect((await readyz(stack)).status).toBe(200);
  });

  it(
    'brings Temporal and Postgres back after SIGKILL mid-placement; ' + 'every structure finishes, none doubled',
    async () => {
      const placed = await place(3, 'iron-condor');
      let killedAt = Date.now();
      process.kill(stackPid(stack, 'temporal'), 'SIGKILL');
      expect((await fetch(`${stack.apiUrl}/healthz`)).status).toBe(200);
      recovery.temporal = await waitUntil('/readyz 200 after Temporal was killed', ready, killedAt);

      placed.push(...(await place(3, 'bear-call-spread')));
      killedAt = Date.now();
      process.kill(stackPid(stack, 'postgres'), 'SIGKILL');
      // A pooled backend may answer once more before it notices its postmaster is gone: the
      // probe must turn 503 naming the database within moments, not necessarily on the first ask.
      const during = await until(
        '/readyz 503 after the postmaster was killed',
        async () => {
          const r = await readyz(stack);
          return r.status === 503 && r;
        },
        10_000,
        50,
      );
      expect(during.down).toContain('database');
      recovery.postgres = await waitUntil('/readyz 200 after the postmaster was killed', ready, killedAt);

      expect(running!.output()).toMatch(/temporal exited \(signal SIGKILL\); restarting in [\d.]+ s/);
      expect(running!.output()).toMatch(/postgres exited \(signal SIGKILL\); restarting in [\d.]+ s/);
      console.log(`placements across the outages: ${(await allFinished(placed)).join('; ')}`);
      await expectLedgerReconciles(placed);
    },
  );

  it('restarts a killed worker and a killed API; the API listens while Temporal does not answer', async () => {
    const oldWorker = stackPid(stack, 'worker:trading');
    let killedAt = Date.now();
    process.kill(oldWorker, 'SIGKILL');
    recovery.worker = await waitUntil(
      'a restarted trading worker polls',
      async () => {
        const pid = stackPid(stack, 'worker:trading');
        if (pid === oldWorker) return false;
        return (await pollerIdentities('trading')).some((id) => id.endsWith(`:${pid}`)) && (await ready());
      },
      killedAt,
    );

    const oldApi = stackPid(stack, 'api');
    killedAt = Date.now();
    process.kill(oldApi, 'SIGKILL');
    recovery.api = await waitUntil(
      '/readyz 200 from a restarted API',
      async () => stackPid(stack, 'api') !== oldApi && (await ready()),
      killedAt,
    );

    // Temporal frozen (alive, answering nothing): a new API still listens and says what is down.
    const temporalPid = stackPid(stack, 'temporal');
    process.kill(temporalPid, 'SIGSTOP');
    try {
      const frozenApi = stackPid(stack, 'api');
      process.kill(frozenApi, 'SIGKILL');
      await waitUntil('a restarted API answers /healthz while Temporal is frozen', async () => {
        if (stackPid(stack, 'api') === frozenApi) return false;
        return fetch(`${stack.apiUrl}/healthz`).then(
          (r) => r.status === 200,
          () => false,
        );
      });
      const r = await readyz(stack);
      expect(r.status).toBe(503);
      expect(r.down).toContain('temporal');
    } finally {
      process.kill(temporalPid, 'SIGCONT');
    }
    await waitUntil('/readyz 200 once Temporal answers again', ready);
  });

  it('stops in order on Ctrl-C mid-placement, and the placement completes after a restart', async () => {
    const placed = await place(3, 'iron-condor');
    const children = readStackLock(stack.dataDir)!.children;
    const before = running!.output().length;
    expect(await stopWithSigint(running!.child)).toBe(0);
    const output = running!.output().slice(before);
    running = undefined;
    const steps = ['(SIGINT)', 'workers', 'the API', 'the Temporal dev server', 'PostgreSQL'].map((s) =>
      output.indexOf(s === '(SIGINT)' ? 'Stopping Quantsentinel (SIGINT)' : `  stopping ${s}`),
    );
    expect(steps.every((at, i) => at >= 0 && (i === 0 || at > steps[i - 1]!))).toBe(true);
    expect(output).toContain('Stopped.');
    // Postgres stopped last: no in-flight activity met a database that was shutting down.
    expect(output).not.toMatch(/57P03|terminating connection due to administrator command/);
    for (const c of children) expect(isRunning(c)).toBe(false);
    expect(processesMentioning(stack.dataDir)).toEqual([]);
    expect(readStackLock(stack.dataDir)).toBeUndefined();

    running = await startStack(stack);
    console.log(`placements across Ctrl-C: ${(await allFinished(placed)).join('; ')}`);
    await expectLedgerReconciles(placed);
  });

  it('after a SIGKILLed supervisor, the next start stops its leftovers (their owner is provably dead)', async () => {
    const children = readStackLock(stack.dataDir)!.children;
    const killed = new Promise((resolve) => running!.child.once('exit', resolve));
    running!.child.kill('SIGKILL');
    await killed;
    for (const c of children) expect(isRunning(c)).toBe(true); // nothing stopped them

    running = await startStack(stack);
    expect(running.output()).toMatch(/stopped without cleaning up; stopping its leftover processes \(.*postgres/);
    for (const c of children) expect(isRunning(c)).toBe(false);
    expect((await readyz(stack)).status).toBe(200);
  });
});
