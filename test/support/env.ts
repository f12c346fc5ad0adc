/**
 * Test-side access to the run's shared servers: clients, pools and workers on the one bundle.
 * Every helper registers its own cleanup with afterAll, so tests cannot leak handles.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { Pool } from 'pg';
import { msToTs } from '@temporalio/common/lib/time';
import { createPool } from '../../db/client';

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run integration tests through jest's integration project (npm test)`);
  return v;
}

export const testEnv = () => ({
  temporalAddress: required('QS_TEST_TEMPORAL_ADDRESS'),
  namespace: required('QS_TEST_NAMESPACE'),
  adminUrl: required('QS_TEST_ADMIN_URL'),
  appUrl: required('QS_TEST_APP_URL'),
  superUrl: required('QS_TEST_SUPER_URL'),
  bundlePath: required('QS_TEST_BUNDLE'),
  tmp: required('QS_TEST_TMP'),
});

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
  await terminateLeftovers();
});

/**
 * Test files share the run's namespace and its trading and broker queues: a workflow one file
 * leaves running (a test that failed or timed out) would land its backlog on the next file's
 * workers. Each file ends by terminating what is still running there, and names it.
 */
async function terminateLeftovers(): Promise<void> {
  const connection = await Connection.connect({ address: testEnv().temporalAddress });
  try {
    const client = new Client({ connection, namespace: testEnv().namespace });
    const left: string[] = [];
    for await (const w of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
      left.push(`${w.type} ${w.workflowId}`);
      await client.workflow
        .getHandle(w.workflowId, w.runId)
        .terminate('left running by an earlier test file')
        .catch(() => undefined);
    }
    if (left.length > 0)
      process.stderr.write(`[test isolation] terminated ${left.length} workflow(s) left running: ${left.join(', ')}\n`);
  } finally {
    await connection.close();
  }
}

export async function testClient(): Promise<Client> {
  const connection = await Connection.connect({ address: testEnv().temporalAddress });
  cleanups.push(() => connection.close());
  return new Client({ connection, namespace: testEnv().namespace });
}

export function testPool(which: 'app' | 'admin' | 'super' = 'app'): Pool {
  const env = testEnv();
  const pool = createPool(
    which === 'app'
      ? env.appUrl
      : which === 'admin'
        ? env.adminUrl
        : env.superUrl.replace(/\/postgres$/, '/quantsentinel'),
  );
  cleanups.push(() => pool.end());
  return pool;
}

/** A worker on the run's shared workflow bundle. Unique task queues keep tests apart. */
export async function testWorker(
  options: Omit<WorkerOptions, 'connection' | 'workflowBundle' | 'workflowsPath'>,
): Promise<Worker> {
  const connection = await NativeConnection.connect({ address: testEnv().temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: testEnv().namespace,
    workflowBundle: { codePath: testEnv().bundlePath },
    shutdownGraceTime: '2 seconds',
    ...options,
  });
  cleanups.push(() => connection.close());
  // A test that timed out abandons its running worker: stop it polling before the next test file.
  cleanups.push(async () => {
    if (worker.getState() !== 'RUNNING') return;
    worker.shutdown();
    for (let i = 0; i < 100 && !['STOPPED', 'FAILED'].includes(worker.getState()); i++)
      await new Promise((r) => setTimeout(r, 100));
  });
  return worker;
}

/**
 * A namespace of its own for a test that needs task queues nobody else has ever polled
 * (the server remembers recent pollers for minutes).
 */
export async function freshNamespace(client: Client, prefix: string): Promise<string> {
  const namespace = `${prefix}-${process.pid}-${Date.now().toString(36)}`;
  await client.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  for (let i = 0; i < 100; i++) {
    try {
      await client.workflowService.describeNamespace({ namespace });
      return namespace;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`namespace ${namespace} never became available`);
}

let seq = 0;
/** A task queue name unique to this test file and call. */
export function uniqueQueue(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${seq++}`;
}
