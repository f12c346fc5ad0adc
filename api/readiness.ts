/**
 * Readiness: the database answers, Temporal answers for our namespace, and every task queue
 * has a live poller of the kind it needs (DescribeTaskQueue).
 */
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TASK_QUEUES, WORKFLOW_QUEUES } from '../contracts/task-queues';
import { pingDatabase } from '../db/health';

export interface PartState {
  ok: boolean;
  detail?: string;
}

export interface Readiness {
  ok: boolean;
  database: PartState;
  temporal: PartState;
  taskQueues: Record<string, PartState & { pollers: number }>;
  down: string[];
}

const CHECK_TIMEOUT_MS = 3000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      );
    }),
  ]);
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function checkReadiness(deps: { pool: Pool; client: Client; namespace: string }): Promise<Readiness> {
  const database = withTimeout(pingDatabase(deps.pool), 'database').then(
    (): PartState => ({ ok: true }),
    (e): PartState => ({ ok: false, detail: errText(e) }),
  );
  const service = deps.client.workflowService;
  const temporalState = withTimeout(service.describeNamespace({ namespace: deps.namespace }), 'temporal').then(
    (): PartState => ({ ok: true }),
    (e): PartState => ({ ok: false, detail: errText(e) }),
  );
  const queues = Object.values(TASK_QUEUES).map(async (name) => {
    const type = WORKFLOW_QUEUES.includes(name)
      ? temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
      : temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY;
    try {
      const res = await withTimeout(
        service.describeTaskQueue({ namespace: deps.namespace, taskQueue: { name }, taskQueueType: type }),
        `task queue ${name}`,
      );
      const pollers = res.pollers?.length ?? 0;
      return [name, { ok: pollers > 0, pollers, detail: pollers > 0 ? undefined : 'no live pollers' }] as const;
    } catch (e) {
      return [name, { ok: false, pollers: 0, detail: errText(e) }] as const;
    }
  });
  const [db, tmp, qs] = await Promise.all([database, temporalState, Promise.all(queues)]);
  const taskQueues = Object.fromEntries(qs);
  const down = [
    ...(db.ok ? [] : ['database']),
    ...(tmp.ok ? [] : ['temporal']),
    ...qs.filter(([, s]) => !s.ok).map(([n]) => `taskQueue:${n}`),
  ];
  return { ok: down.length === 0, database: db, temporal: tmp, taskQueues, down };
}
