/**
 * Replay: run a recorded workflow history against the current workflow code. A history that
 * no longer replays means the code changed non-deterministically (use patched()).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker, ReplayWorkerOptions } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Client } from '@temporalio/client';

export type WorkflowSource = Pick<ReplayWorkerOptions, 'workflowBundle' | 'workflowsPath'>;

export interface ReplayOutcome {
  workflowId: string;
  deterministic: boolean;
  error?: string;
}

export function readHistoryFile(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Fixture file name for a workflow id: `trading-day/acme/2026-05-05` → `trading-day__acme__2026-05-05.json`. */
export function fixtureName(workflowId: string): string {
  return `${workflowId.replace(/[^A-Za-z0-9._-]+/g, '__')}.json`;
}

export async function replayHistory(
  source: WorkflowSource,
  history: unknown,
  workflowId: string,
): Promise<ReplayOutcome> {
  try {
    await Worker.runReplayHistory(
      { ...source, replayName: `replay-${workflowId}` },
      historyFromJSON(history),
      workflowId,
    );
    return { workflowId, deterministic: true };
  } catch (err) {
    if (err instanceof DeterminismViolationError) return { workflowId, deterministic: false, error: err.message };
    throw err;
  }
}

export async function exportHistory(client: Client, workflowId: string, outFile: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, historyToJSON(history));
  return outFile;
}
