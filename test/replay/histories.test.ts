/**
 * Every committed history replays against the current workflow code; and the harness is
 * proven to catch non-determinism: an altered SystemCheck fails replay of the same history.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readHistoryFile, replayHistory } from '../../runtime/replay';
import { buildWorkflowBundle } from '../../workers/bundle';

const HISTORIES = path.join(__dirname, '..', 'histories');
const fixtures = fs.readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));
const bundle = () => ({ workflowBundle: { codePath: process.env.QS_TEST_BUNDLE! } });

describe('committed workflow histories replay deterministically', () => {
  it('has fixtures to replay', () => {
    expect(fixtures).toContain('system-check.json');
  });

  it.each(fixtures)('%s', async (file) => {
    const outcome = await replayHistory(
      bundle(),
      readHistoryFile(path.join(HISTORIES, file)),
      path.basename(file, '.json'),
    );
    expect(outcome).toEqual({ workflowId: path.basename(file, '.json'), deterministic: true });
  });

  it('detects a deliberately altered workflow as non-deterministic', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qs-altered-')), 'bundle.js');
    await buildWorkflowBundle(out, require.resolve('./altered/workflows'));
    const outcome = await replayHistory(
      { workflowBundle: { codePath: out } },
      readHistoryFile(path.join(HISTORIES, 'system-check.json')),
      'system-check',
    );
    expect(outcome.deterministic).toBe(false);
    expect(outcome.error).toMatch(/nondetermin|does not match|Activity/i);
  });
});

describe('qs replay', () => {
  it('says plainly that a committed history is deterministic', async () => {
    const { runQs } = await import('../support/run-qs');
    const r = await runQs(['replay', path.join(HISTORIES, 'system-check.json')], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^deterministic: system-check replays against the current workflow code/);
  });
});
