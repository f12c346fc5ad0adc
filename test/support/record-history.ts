/**
 * Replay fixtures come from real runs: with QS_RECORD_HISTORIES=1 (`npm run histories:record`),
 * integration tests write the histories of the workflows they ran into test/histories/.
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { exportHistory } from '../../runtime/replay';

export const HISTORIES_DIR = path.join(__dirname, '..', 'histories');

export async function maybeRecordHistory(client: Client, workflowId: string, fixture: string): Promise<void> {
  if (process.env.QS_RECORD_HISTORIES !== '1') return;
  await exportHistory(client, workflowId, path.join(HISTORIES_DIR, `${fixture}.json`));
}
