/**
 * Typed starts by workflow type name (contracts/workflows.ts): a client gets the workflow's
 * input and result types without importing workflow code.
 */
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { WorkflowSignatures, WorkflowType } from '../contracts/workflows';

export function startWorkflow<K extends WorkflowType>(
  client: Client,
  type: K,
  options: WorkflowStartOptions<WorkflowSignatures[K]>,
) {
  return client.workflow.start<WorkflowSignatures[K]>(type, options);
}

export function executeWorkflow<K extends WorkflowType>(
  client: Client,
  type: K,
  options: WorkflowStartOptions<WorkflowSignatures[K]>,
) {
  return client.workflow.execute<WorkflowSignatures[K]>(type, options);
}

/** A handle typed by the workflow type it was started as. */
export function workflowHandle<K extends WorkflowType>(client: Client, _type: K, workflowId: string, runId?: string) {
  return client.workflow.getHandle<WorkflowSignatures[K]>(workflowId, runId);
}

/**
 * What a failed update or query to a workflow meant to whoever asked: a validator's refusal (its
 * reason), a workflow that has closed (its status), or one that never ran. Anything else: null,
 * for the caller to rethrow.
 */
export type WorkflowRefusal =
  { kind: 'refused'; reason: string } | { kind: 'closed'; status: string } | { kind: 'missing' };

export async function workflowRefusal(client: Client, workflowId: string, e: unknown): Promise<WorkflowRefusal | null> {
  if (e instanceof WorkflowUpdateFailedError) return { kind: 'refused', reason: e.cause?.message ?? e.message };
  if (!(e instanceof WorkflowNotFoundError)) return null;
  const status = await client.workflow
    .getHandle(workflowId)
    .describe()
    .then((d) => d.status.name)
    .catch(() => null);
  return status ? { kind: 'closed', status } : { kind: 'missing' };
}
