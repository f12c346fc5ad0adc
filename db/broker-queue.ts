/**
 * Which broker task queue serves a tenant: its own (broker_accounts.task_queue, a worker at the
 * static IP it registered with its broker) or the shared `broker` queue. Starters of workflows
 * that call the broker resolve it here and pass it down (OrderPlacementInput.brokerTaskQueue);
 * broker workers check it before serving a tenant.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Pool } from 'pg';
import { isTenantBrokerQueue, TASK_QUEUES } from '../contracts/task-queues';
import { createDb } from './client';
import { brokerAccounts, tenants } from './schema';
import { withTenant, type TenantTx } from './tenant';

export class BrokerQueueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrokerQueueError';
  }
}

/** The tenant's dedicated queue, or null when it uses the shared one. */
export async function dedicatedBrokerQueue(tx: TenantTx): Promise<string | null> {
  const [row] = await tx.db
    .select({ taskQueue: brokerAccounts.taskQueue })
    .from(brokerAccounts)
    .where(eq(brokerAccounts.tenantId, tx.tenantId));
  return row?.taskQueue ?? null;
}

/** The queue a tenant's broker activities must be scheduled on. */
export async function resolveBrokerTaskQueue(pool: Pool, tenantId: number): Promise<string> {
  return (await withTenant(pool, tenantId, dedicatedBrokerQueue)) ?? TASK_QUEUES.broker;
}

/**
 * Give the tenant a dedicated queue (null: back to the shared one). A tenant without a broker
 * account row gets a paper one, as the registry would treat it. Refuses a malformed name and a
 * queue another tenant already has, naming it.
 */
export async function setDedicatedBrokerQueue(tx: TenantTx, queue: string | null): Promise<void> {
  if (queue !== null && !isTenantBrokerQueue(queue))
    throw new BrokerQueueError(
      `queue: expected broker.<name> (a-z, 0-9, '.', '_', '-'; 2–80 characters), got ${JSON.stringify(queue)}`,
    );
  await tx.client.query('SAVEPOINT set_broker_queue');
  try {
    await tx.db
      .insert(brokerAccounts)
      .values({ tenantId: tx.tenantId, taskQueue: queue })
      .onConflictDoUpdate({ target: brokerAccounts.tenantId, set: { taskQueue: queue, updatedAt: new Date() } });
  } catch (err) {
    await tx.client.query('ROLLBACK TO SAVEPOINT set_broker_queue');
    if (isUniqueViolation(err))
      throw new BrokerQueueError(`queue: ${queue} already belongs to another tenant (one client per queue and IP)`);
    throw err;
  }
}

// drizzle wraps the driver's error in `cause`.
const isUniqueViolation = (err: unknown): boolean => {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code === '23505' || e.cause?.code === '23505';
};

/**
 * The dedicated queues of the tenants with these slugs, for `qs worker broker --tenants`: every
 * slug must name a tenant with a dedicated queue. Reads through each tenant's own transaction.
 */
export async function dedicatedQueuesOf(
  pool: Pool,
  slugs: readonly string[],
): Promise<Array<{ tenantId: number; slug: string; taskQueue: string }>> {
  const found = await createDb(pool)
    .select({ id: tenants.id, slug: tenants.slug })
    .from(tenants)
    .where(inArray(tenants.slug, [...slugs]));
  const out: Array<{ tenantId: number; slug: string; taskQueue: string }> = [];
  for (const slug of slugs) {
    const t = found.find((f) => f.slug === slug);
    if (!t)
      throw new BrokerQueueError(`--tenants: no tenant with slug ${JSON.stringify(slug)} (see \`qs tenant list\`)`);
    const taskQueue = await withTenant(pool, t.id, dedicatedBrokerQueue);
    if (!taskQueue)
      throw new BrokerQueueError(
        `--tenants: ${slug} uses the shared broker queue; give it its own first: qs broker queue set --tenant ${slug}`,
      );
    out.push({ tenantId: t.id, slug, taskQueue });
  }
  return out;
}
