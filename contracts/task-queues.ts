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

/** Which queues run workflow code (the others poll activities only). */
export const WORKFLOW_QUEUES: readonly TaskQueue[] = [TASK_QUEUES.trading, TASK_QUEUES.ml, TASK_QUEUES.personas];
