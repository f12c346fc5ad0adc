/** Task queues: one worker entrypoint each (workers/<queue>.ts). */
export const TASK_QUEUES = {
  /** Trading day, order placement, reconciliation, hedge roll, system checks. */
  trading: 'trading',
  /** Broker calls only (activities), rate limited to the broker's account-wide limits. */
  broker: 'broker',
  /** Retrain/validate/promote. */
  ml: 'ml',
  /** Persona simulation: an isolated worker with no broker credentials (Rule 2). */
  personas: 'personas',
} as const;

export type TaskQueue = (typeof TASK_QUEUES)[keyof typeof TASK_QUEUES];

/**
 * A tenant's own broker queue: its broker calls run only on the worker at the static IP the
 * tenant registered with its broker (India's retail-algo rules since 1 Apr 2026), while
 * orchestration stays on `trading`. Named for the tenant's slug so the Web UI and
 * `qs worker broker --tenants <slug>` say whose it is.
 */
export type TenantBrokerQueue = `broker.${string}`;

/** The default dedicated broker queue of a tenant (`broker.<slug>`). */
export const tenantBrokerQueue = (slug: string): TenantBrokerQueue => `broker.${slug}`;

const TENANT_BROKER_QUEUE = /^broker\.[a-z0-9][a-z0-9._-]{0,78}[a-z0-9]$/;

/** A dedicated broker queue name: `broker.` then 2–80 of a-z 0-9 . _ - (no trailing punctuation). */
export function isTenantBrokerQueue(name: string): name is TenantBrokerQueue {
  return TENANT_BROKER_QUEUE.test(name);
}

/** Which queues run workflow code (the others poll activities only). */
export const WORKFLOW_QUEUES: readonly string[] = [TASK_QUEUES.trading, TASK_QUEUES.ml, TASK_QUEUES.personas];
