/**
 * What the Temporal benchmarks share: their own throwaway servers, a quiet SDK runtime, client
 * and worker connections, the SystemCheck floor, and a teardown that always runs.
 */
import { executeWorkflow } from '../runtime/workflow-client';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import type { Pool } from 'pg';
import { startEphemeralServers, EphemeralServers } from '../stack/ephemeral-servers';
import { createPool } from '../db/client';
import { TASK_QUEUES } from '../contracts/task-queues';
import { orderPlacementWorkflowId, type OrderPlacementInput } from '../contracts/orders';
import { buildPaperStructure } from '../broker/paper/structures';
import { runConcurrent } from './stats';

export interface BenchContext {
  servers: EphemeralServers;
  pool: Pool;
  /** For workers. */
  native: NativeConnection;
  client: Client;
}

export async function withBenchServers(
  opts: { poolSize: number; postgresSettings?: Record<string, string> },
  fn: (ctx: BenchContext) => Promise<void>,
): Promise<void> {
  const quiet = () => undefined;
  Runtime.install({
    logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: console.error },
  });
  const servers = await startEphemeralServers({ postgresSettings: opts.postgresSettings });
  const pool = createPool(servers.db.appUrl, { max: opts.poolSize });
  const native = await NativeConnection.connect({ address: servers.temporal.address });
  const connection = await Connection.connect({ address: servers.temporal.address });
  try {
    await fn({ servers, pool, native, client: new Client({ connection, namespace: servers.namespace }) });
  } finally {
    await connection.close();
    await native.close();
    await pool.end();
    await servers.stop();
  }
}

/** N SystemChecks (worker → activity → Postgres → broker queue → result), `concurrency` in flight. */
export async function systemCheckFloor(client: Client, n: number, concurrency: number) {
  const workflowIds: string[] = [];
  const r = await runConcurrent(n, concurrency, async () => {
    const id = randomUUID();
    workflowIds.push(`bench/system-check/${id}`);
    await executeWorkflow(client, 'systemCheck', {
      taskQueue: TASK_QUEUES.trading,
      workflowId: `bench/system-check/${id}`,
      args: [{ checkId: id }],
    });
  });
  return { ...r, workflowIds };
}

/** OrderPlacements on the trading queue, `concurrency` in flight: latencies, wall time and outcomes by status. */
export async function placeStructures(client: Client, batch: readonly OrderPlacementInput[], concurrency: number) {
  const outcomes: Record<string, number> = {};
  const r = await runConcurrent(batch.length, concurrency, async (i) => {
    const input = batch[i]!;
    const res = await executeWorkflow(client, 'orderPlacement', {
      taskQueue: TASK_QUEUES.trading,
      workflowId: orderPlacementWorkflowId(input.tenantId, input.decisionId),
      args: [input],
    });
    outcomes[res.status] = (outcomes[res.status] ?? 0) + 1;
  });
  return { ...r, outcomes };
}

/** Entrypoint: a failure prints and exits non-zero. */
export function runBench(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

/**
 * `count` one-lot NIFTY bull put spreads on the paper broker, round-robin over the tenants.
 * `resolveQueue` looks each tenant's broker queue up as a starter does.
 */
export async function benchSpreads(
  pool: Pool,
  tenantIds: readonly number[],
  count: number,
  resolveQueue?: (tenantId: number) => Promise<string>,
): Promise<OrderPlacementInput[]> {
  const out: OrderPlacementInput[] = [];
  for (let i = 0; i < count; i++) {
    const tenantId = tenantIds[i % tenantIds.length]!;
    const built = await buildPaperStructure(pool, tenantId, 'BULL_PUT_SPREAD', 'NIFTY', 1);
    out.push({
      tenantId,
      decisionId: `bench-${randomUUID()}`,
      structure: 'BULL_PUT_SPREAD',
      instrument: 'NIFTY',
      tradingDate: built.tradingDate,
      lots: 1,
      legs: built.legs,
      ...(resolveQueue ? { brokerTaskQueue: await resolveQueue(tenantId) } : {}),
      options: { pollIntervalMs: 100, fillTimeoutMs: 60_000 },
    });
  }
  return out;
}
