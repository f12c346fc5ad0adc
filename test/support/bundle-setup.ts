/**
 * Jest global setup (replay project, and part of the integration one): bundle the workflow
 * code once per run; tests load it by path from QS_WORKFLOW_BUNDLE.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildWorkflowBundle } from '../../workers/bundle';

export default async function bundleSetup(): Promise<void> {
  if (process.env.QS_TEST_BUNDLE && fs.existsSync(process.env.QS_TEST_BUNDLE)) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qs-test-bundle-'));
  const started = Date.now();
  process.env.QS_TEST_BUNDLE = await buildWorkflowBundle(path.join(dir, 'workflow-bundle.js'));
  process.stderr.write(`\n[test] workflow bundle built in ${Date.now() - started} ms\n`);
}
