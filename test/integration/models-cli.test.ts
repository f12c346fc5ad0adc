/**
 * `qs models …` as an operator runs it (a child process against the test stack): list --json,
 * retrain --wait --json through a worker on the ml queue, promote refused by the contract,
 * workers, qs schedules apply/list, and clear usage errors for bad input.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createMlModelActivities } from '../../activities/ml-models';
import { createRetrainActivities } from '../../activities/retrain';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { testClient, testEnv, testPool, testWorker } from '../support/env';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');

async function qs(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = testEnv();
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/qs.js', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        QS_DATA_DIR: path.join(env.tmp, 'cli-data'),
        DATABASE_URL: env.adminUrl,
        QS_APP_DATABASE_URL: env.appUrl,
        TEMPORAL_ADDRESS: env.temporalAddress,
        TEMPORAL_NAMESPACE: env.namespace,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('qs models', () => {
  it('retrains, lists, refuses a bad promotion and reports bad input clearly', async () => {
    const pool = testPool('app');
    const worker = await testWorker({
      taskQueue: TASK_QUEUES.ml,
      identity: 'ml@cli-test',
      activities: {
        ...createRetrainActivities({ pool, workerId: 'ml@cli-test' }),
        ...createMlModelActivities({ pool, workerId: 'ml@cli-test', cache: null }),
      },
    });
    await worker.runUntil(async () => {
      const retrained = await qs(
        'models',
        'retrain',
        '--type',
        'slippage_coefficients',
        '--data-version',
        '2026-05-22',
        '--wait',
        '--json',
      );
      expect(retrained.code).toBe(0);
      const r = JSON.parse(retrained.stdout);
      expect(r).toMatchObject({
        workflowId: 'retrain/slippage_coefficients/global/2026-05-22',
        typeId: 'slippage_coefficients',
        result: 'promoted',
        validation: { passed: true },
      });

      // Same data version again: joins the finished run instead of training twice.
      const again = JSON.parse(
        (
          await qs(
            'models',
            'retrain',
            '--type',
            'slippage_coefficients',
            '--data-version',
            '2026-05-22',
            '--wait',
            '--json',
          )
        ).stdout,
      );
      expect(again).toMatchObject({ version: r.version, sha256: r.sha256 });

      const list = await qs('models', 'list', '--json');
      expect(list.code).toBe(0);
      const rows = JSON.parse(list.stdout) as Array<{
        typeId: string;
        productionVersion: number | null;
        sha256: string | null;
      }>;
      expect(rows.map((x) => x.typeId)).toEqual(
        expect.arrayContaining([
          'trend_classifier',
          'strike_selector',
          'slippage_coefficients',
          'anomaly_detector',
          'feature_drift_monitor',
        ]),
      );
      expect(rows.find((x) => x.typeId === 'slippage_coefficients')).toMatchObject({
        productionVersion: r.version,
        sha256: r.sha256,
      });

      // A tenant's variant that fails its contract stays staged; promoting it by hand is refused (exit 1).
      const slug = `cli-ml-${Date.now()}`;
      await pool.query("INSERT INTO tenants (slug, name) VALUES ($1, 'CLI ML test')", [slug]);
      const staged = JSON.parse(
        (
          await qs(
            'models',
            'retrain',
            '--type',
            'feature_drift_monitor',
            '--tenant',
            slug,
            '--data-version',
            '2026-05-22',
            '--wait',
            '--json',
          )
        ).stdout,
      );
      expect(staged).toMatchObject({ result: 'staged', version: 1, validation: { passed: false } });
      const refused = await qs('models', 'promote', 'feature_drift_monitor', '1', '--tenant', slug);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/refused by the contract; production stays none/);
      expect(refused.stdout).toMatch(/FAIL holdout_metric: holdout_stability = /);
      const tenantList = JSON.parse((await qs('models', 'list', '--tenant', slug, '--json')).stdout) as Array<{
        typeId: string;
        productionVersion: number | null;
        staged: number;
      }>;
      expect(tenantList.find((x) => x.typeId === 'feature_drift_monitor')).toMatchObject({
        productionVersion: null,
        staged: 1,
      });

      const unknown = await qs('models', 'promote', 'slippage_coefficients', '999');
      expect(unknown).toMatchObject({ code: 2 });
      expect(unknown.stderr).toMatch(/qs: slippage_coefficients\/global has no version 999/);

      // qs models workers: what each worker serves, and whether it is polling Temporal right now.
      await pool.query(
        `INSERT INTO worker_models (worker_id, type_id, scope, version, sha256)
         VALUES ('ml@cli-test', 'slippage_coefficients', 'global', $1, $2),
                ('ml@gone:1', 'slippage_coefficients', 'global', 1, 'x')
         ON CONFLICT DO NOTHING`,
        [r.version, r.sha256],
      );
      const served = JSON.parse((await qs('models', 'workers', '--json')).stdout) as Array<{
        workerId: string;
        version: number;
        live: boolean | null;
      }>;
      expect(served.find((w) => w.workerId === 'ml@cli-test')).toMatchObject({ version: r.version, live: true });
      expect(served.find((w) => w.workerId === 'ml@gone:1')).toMatchObject({ live: false });
      await pool.query("DELETE FROM worker_models WHERE worker_id IN ('ml@cli-test', 'ml@gone:1')");

      const text = await qs('models', 'show', 'slippage_coefficients');
      expect(text.stdout).toMatch(/slippage_coefficients: production v\d+/);
      expect(text.stdout).toMatch(/history:/);
    });

    // qs schedules apply: created, then unchanged; list shows them applied.
    const applied = JSON.parse((await qs('schedules', 'apply', '--json')).stdout) as Array<{
      scheduleId: string;
      result: string;
      when: string;
    }>;
    try {
      expect(applied.find((a) => a.scheduleId === 'retrain/trend_classifier')).toMatchObject({
        result: 'created',
        when: 'SUNDAY 03:00 Asia/Kolkata',
      });
      const reapplied = JSON.parse((await qs('schedules', 'apply', '--json')).stdout) as Array<{ result: string }>;
      expect(new Set(reapplied.map((a) => a.result))).toEqual(new Set(['unchanged']));
      const listed = JSON.parse((await qs('schedules', 'list', '--json')).stdout) as Array<{
        exists: boolean;
        nextRun: string | null;
      }>;
      expect(listed.every((l) => l.exists && l.nextRun)).toBe(true);
    } finally {
      const client = await testClient();
      for (const a of applied)
        await client.schedule
          .getHandle(a.scheduleId)
          .delete()
          .catch(() => undefined);
    }

    const workers = await qs('models', 'workers', '--json');
    expect(workers.code).toBe(0);
    expect(Array.isArray(JSON.parse(workers.stdout))).toBe(true);

    // Bad input: one line naming the flag or argument, exit 2, nothing started.
    for (const [args, message] of [
      [['models', 'show', 'nope'], /^qs: <type>: expected one of trend_classifier, .*, got "nope"\n$/],
      [['models', 'promote', 'trend_classifier', 'v2'], /^qs: <version>: expected a positive integer, got "v2"\n$/],
      [['models', 'promote', 'trend_classifier', '0x2'], /^qs: <version>: expected a positive integer, got "0x2"\n$/],
      [
        ['models', 'rollback', 'trend_classifier', '--to', '1.5'],
        /^qs: --to: expected a positive integer, got "1.5"\n$/,
      ],
      [
        ['models', 'retrain', '--type', 'trend_classifier', '--data-version', 'last-week'],
        /^qs: --data-version: expected a date YYYY-MM-DD, got "last-week"\n$/,
      ],
      [
        ['models', 'retrain', '--type', 'trend_classifier', '--data-version', '1900-01-05'],
        /^qs: --data-version: 1900-01-05 is outside the data \(.*\)\n$/,
      ],
      [
        ['models', 'retrain', '--type', 'trend_classifier', '--data-version', '2025-01-10'],
        /^qs: --data-version: trend_classifier trains on 40 trading days back to 2024-11-\d\d, before the covered/,
      ],
      [['models', 'retrain', '--type', 'nope'], /^qs: --type: expected one of trend_classifier/],
      [['models', 'list', '--tenant', 'no-such-tenant'], /^qs: --tenant: no tenant with slug "no-such-tenant"/],
      [['models', 'list', '--tenant', 'platform'], /^qs: --tenant: "platform" is the platform's own tenant/],
    ] as const) {
      const res = await qs(...args);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(res.stdout).toBe('');
    }
    const runs = [];
    for await (const w of (await testClient()).workflow.list({
      query: `WorkflowId STARTS_WITH "retrain/trend_classifier/"`,
    }))
      runs.push(w.workflowId);
    expect(runs).toEqual([]);
  });
});
