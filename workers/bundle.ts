/**
 * The workflow bundle: all workflow code, webpacked once. Production and the stack load a
 * pre-built file (`qs build`); tests build one per run and share it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

export const WORKFLOWS_PATH = require.resolve('../workflows');

export async function buildWorkflowBundle(outFile: string, workflowsPath = WORKFLOWS_PATH): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  // Write-then-rename so a worker never loads a half-written bundle.
  const tmp = `${outFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, outFile);
  return outFile;
}

const noop = () => undefined;
const quietLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  log: noop,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};
