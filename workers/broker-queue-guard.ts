/**
 * A broker worker serves only the tenants whose broker queue it polls: a tenant with its own
 * queue (its registered static IP) is refused by the shared worker, and a dedicated worker
 * refuses every other tenant, so a starter that picked the wrong queue cannot send an order from
 * the wrong machine. The refusal is a retryable failure naming the right queue: nothing was sent,
 * and the workflow waits (visible in the Web UI) instead of failing mid-saga.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { resolveBrokerTaskQueue } from '../db/broker-queue';

type Activities = Record<string, (...args: any[]) => Promise<unknown>>;

export const WRONG_BROKER_QUEUE = 'WrongBrokerQueue';

/**
 * Reads that any broker worker may serve: the static-IP rule binds placing, modifying and
 * cancelling orders, not reading the book, and Reconciliation (started for every tenant by the
 * trading day and operators) still reads through the shared queue.
 */
export const READS_ON_ANY_QUEUE: readonly string[] = ['fetchBrokerState'];

/** How long a tenant's queue is remembered: a reassignment reaches every worker within this. */
const QUEUE_TTL_MS = 5_000;

export function servingOnly<A extends Activities>(
  activities: A,
  deps: { pool: Pool; queues: readonly string[]; now?: () => number },
): A {
  const now = deps.now ?? Date.now;
  const known = new Map<number, { queue: string; at: number }>();
  async function queueOf(tenantId: number): Promise<string> {
    const hit = known.get(tenantId);
    if (hit && now() - hit.at < QUEUE_TTL_MS) return hit.queue;
    const queue = await resolveBrokerTaskQueue(deps.pool, tenantId);
    known.set(tenantId, { queue, at: now() });
    return queue;
  }
  const guarded: Activities = {};
  for (const [name, fn] of Object.entries(activities))
    guarded[name] = READS_ON_ANY_QUEUE.includes(name)
      ? fn
      : async (...args: unknown[]) => {
          const tenantId = (args[0] as { tenantId?: unknown } | undefined)?.tenantId;
          if (typeof tenantId === 'number') {
            const queue = await queueOf(tenantId);
            if (!deps.queues.includes(queue))
              throw ApplicationFailure.create({
                type: WRONG_BROKER_QUEUE,
                message:
                  `tenant ${tenantId} trades from broker queue ${queue}; ` +
                  `this worker serves ${deps.queues.join(', ')}`,
              });
          }
          return fn(...args);
        };
  return guarded as A;
}
