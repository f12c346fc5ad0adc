/**
 * Typed starts by workflow type name (contracts/workflows.ts): a client gets the workflow's
 * input and result types without importing workflow code.
 */
import type { Client, WorkflowStartOptions } from '@temporalio/client';
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
