/**
 * Replay fixtures come from real runs: with QS_RECORD_HISTORIES=1 (`npm run histories:record`),
 * integration tests write the histories of the workflows they ran into test/histories/.
 * A committed history is never replaced: it is what proves the old branch of a patched()
 * change still replays. A changed path gets a fixture of its own name.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { exportHistory } from '../../runtime/replay';

export const HISTORIES_DIR = path.join(__dirname, '..', 'histories');

export async function maybeRecordHistory(client: Client, workflowId: string, fixture: string): Promise<void> {
  if (process.env.QS_RECORD_HISTORIES !== '1') return;
  const file = path.join(HISTORIES_DIR, `${fixture}.json`);
  if (fs.existsSync(file)) {
    process.stderr.write(`[histories] ${fixture}.json exists and is kept (a new path needs a new fixture name)\n`);
    return;
  }
  await exportHistory(client, workflowId, file);
}
