/**
 * Shared setup for the order tests: a fresh tenant with a paper account on a fixed simulated
 * day, workers for the trading and broker queues, and helpers to start a structure.
 */
import { executeWorkflow } from '../../runtime/workflow-client';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { brokerActivities, tradingActivities } from '../../workers/activities';
import { configurePaperAccount } from '../../broker/paper/paper-broker';
import { buildPaperStructure } from '../../broker/paper/structures';
import type { PaperFaults } from '../../broker/paper/faults';
import type { StructureKind } from '../../domain/strategies';
import { orderPlacementWorkflowId } from '../../contracts/orders';
import type {
  OrderLeg,
  OrderPlacementInput,
  OrderPlacementOptions,
  OrderPlacementResult,
} from '../../contracts/orders';
import type { PlaceOrderRequest } from '../../broker/port';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { testWorker } from './env';

export const PAPER_DAY = { date: '2026-05-06', seed: 11, startMinute: 30, speed: 1 };
export const FAST: OrderPlacementOptions = {
  pollIntervalMs: 100,
  watchMaxMs: 5_000,
  heartbeatTimeoutMs: 5_000,
  fillTimeoutMs: 10_000,
};

export async function createTenant(pool: Pool, prefix = 't'): Promise<{ id: number; slug: string }> {
  const slug = `${prefix}-${randomUUID().slice(0, 8)}`;
  const { rows } = await pool.query<{ id: number }>('INSERT INTO tenants (slug, name) VALUES ($1, $2) RETURNING id', [
    slug,
    `Tenant ${slug}`,
  ]);
  return { id: rows[0]!.id, slug };
}

export async function paperTenant(pool: Pool, faults: PaperFaults = {}): Promise<number> {
  const { id } = await createTenant(pool, 'paper');
  await configurePaperAccount(pool, id, { market: PAPER_DAY, exchange: { latencyMsMin: 1, latencyMsMax: 5 }, faults });
  return id;
}

/** Fresh trading + broker workers for one piece of work (a worker runs until its promise settles). */
export function orderWorkers(pool: Pool, liveTrading = false) {
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      const trading = await testWorker({
        taskQueue: TASK_QUEUES.trading,
        activities: tradingActivities({ pool, workerId: 'test-trading' }),
      });
      const broker = await testWorker({
        taskQueue: TASK_QUEUES.broker,
        activities: brokerActivities({ pool, workerId: 'test-broker', liveTrading }),
      });
      return trading.runUntil(broker.runUntil(fn));
    },
  };
}

export async function placementInput(
  pool: Pool,
  tenantId: number,
  kind: StructureKind,
  lots: number,
  options: OrderPlacementOptions = FAST,
  /** A reproducible run names its decisions (tags derive from them); otherwise a fresh one. */
  decisionId = `test-${randomUUID().slice(0, 8)}`,
): Promise<OrderPlacementInput> {
  const built = await buildPaperStructure(pool, tenantId, kind, 'NIFTY', lots);
  return {
    tenantId,
    decisionId,
    structure: kind,
    instrument: 'NIFTY',
    tradingDate: built.tradingDate,
    lots,
    legs: built.legs,
    options,
  };
}

export async function place(client: Client, input: OrderPlacementInput): Promise<OrderPlacementResult> {
  return executeWorkflow(client, 'orderPlacement', {
    taskQueue: TASK_QUEUES.trading,
    workflowId: orderPlacementWorkflowId(input.tenantId, input.decisionId),
    args: [input],
    workflowExecutionTimeout: '5 minutes',
  });
}

export async function auditCount(pool: Pool, tenantId: number, eventType: string): Promise<number> {
  const { withTenant } = await import('../../db/tenant');
  return withTenant(pool, tenantId, async ({ client }) =>
    Number(
      (
        await client.query('SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND event_type = $2', [
          tenantId,
          eventType,
        ])
      ).rows[0].count,
    ),
  );
}

/** A leg sent straight to a broker as a market order under `tag` (tests that bypass OrderPlacement). */
export function marketRequest(leg: OrderLeg, tag: string): PlaceOrderRequest {
  return {
    tag,
    exchange: 'NFO',
    tradingsymbol: leg.tradingsymbol,
    side: leg.side,
    quantity: leg.quantity,
    orderType: 'MARKET',
    product: 'NRML',
  };
}
