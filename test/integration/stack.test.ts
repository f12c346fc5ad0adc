/**
 * `npm start` as a newcomer runs it: the whole platform up on free ports with no Docker,
 * /readyz 200, the Web UI serving our namespace, `qs check` working, Ctrl-C leaving no process
 * behind, and a second start resuming with the data kept.
 */
import { Client as PgClient } from 'pg';
import { isPortFree } from '../../runtime/ports';
import { readStackEnv } from '../../runtime/stack-env';
import { runQs } from '../support/run-qs';
import { processesMentioning, startStack, stopWithSigint, testStack } from '../support/stack-harness';

jest.setTimeout(240_000);

describe('qs stack up', () => {
  it('starts everything, stops cleanly on SIGINT, and resumes with the data kept', async () => {
    // Its own bundle build: the newcomer's path, where QS_WORKFLOW_BUNDLE is unset.
    const stack = await testStack('stack-data', { bundle: false });
    const { dataDir, ports } = stack;
    const first = await startStack(stack);
    expect(first.output()).toContain(`http://127.0.0.1:${ports.api}`);
    const ready = await fetch(`http://127.0.0.1:${ports.api}/readyz`);
    expect(ready.status).toBe(200);
    // The Web UI serves, and the namespace exists (the UI's own API answers for it).
    const ui = await fetch(`http://127.0.0.1:${ports.ui}/api/v1/namespaces/quantsentinel`);
    expect(ui.status).toBe(200);
    expect(((await ui.json()) as { namespaceInfo: { name: string } }).namespaceInfo.name).toBe('quantsentinel');

    // First run: a demo tenant, and the printed credentials really log in.
    const creds = /(\{"tenant":"demo","email":"[^"]+","password":"[^"]+"\})/.exec(first.output());
    expect(creds).not.toBeNull();
    const login = await fetch(`http://127.0.0.1:${ports.api}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: creds![1],
    });
    expect(login.status).toBe(200);

    const check = await runQs(['check', '--json'], { QS_DATA_DIR: dataDir });
    expect(check.code).toBe(0);
    const result = JSON.parse(check.stdout) as { checkId: string; inserted: boolean; workflowId: string };
    expect(result.inserted).toBe(true);

    expect(await stopWithSigint(first.child)).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
    for (const p of Object.values(ports)) expect(await isPortFree(p)).toBe(true);
    expect(readStackEnv(dataDir)).toBeUndefined();

    // Second start: same data, the earlier check and its workflow history are still there.
    const second = await startStack(stack);
    try {
      expect(second.output()).toMatch(/Database schema is up to date/);
      expect(second.output()).not.toMatch(/"password"/); // credentials are shown once
      expect(
        (
          await fetch(`http://127.0.0.1:${ports.api}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: creds![1],
          })
        ).status,
      ).toBe(200);
      const pg = new PgClient({ connectionString: readStackEnv(dataDir)!.QS_APP_DATABASE_URL });
      await pg.connect();
      const rows = await pg.query('SELECT workflow_id FROM system_checks WHERE check_id = $1', [result.checkId]);
      await pg.end();
      expect(rows.rows).toEqual([{ workflow_id: result.workflowId }]);
      const replay = await runQs(['replay', result.workflowId], { QS_DATA_DIR: dataDir });
      expect(replay.stdout).toMatch(/^deterministic: /);
    } finally {
      expect(await stopWithSigint(second.child)).toBe(0);
    }
    expect(processesMentioning(dataDir)).toEqual([]);
  });
});
