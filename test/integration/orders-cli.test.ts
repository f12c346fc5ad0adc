/**
 * The `qs orders` / `qs reconcile` commands as an operator runs them: the real CLI binary in a
 * child process, pointed at the test run's Temporal and Postgres through the environment,
 * with workers serving the queues in this process.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { testEnv, testPool } from '../support/env';
import { createTenant, orderWorkers, PAPER_DAY } from '../support/orders-env';
import { configurePaperAccount } from '../../broker/paper/paper-broker';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const pool = testPool('app');

async function qs(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = testEnv();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qs-cli-')); // no stack.env: the environment decides
  try {
    const r = await run(process.execPath, [path.join(ROOT, 'bin', 'qs.js'), ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        QS_DATA_DIR: dataDir,
        TEMPORAL_ADDRESS: env.temporalAddress,
        TEMPORAL_NAMESPACE: env.namespace,
        DATABASE_URL: env.adminUrl,
        QS_APP_DATABASE_URL: env.appUrl,
      },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('qs orders / qs reconcile', () => {
  it('refuses bad flags with a usage error naming the flag', async () => {
    const { slug } = await createTenant(pool, 'cli');
    const cases: Array<[string[], RegExp]> = [
      [
        ['orders', 'place', '--tenant', slug, '--structure', 'butterfly-of-doom', '--lots', '1'],
        /--structure: unknown structure "butterfly-of-doom"/,
      ],
      [
        ['orders', 'place', '--tenant', slug, '--structure', 'iron-condor', '--lots', '1.5'],
        /--lots: expected a positive integer/,
      ],
      [
        ['orders', 'place', '--tenant', slug, '--structure', 'iron-condor', '--lots', '-2'],
        /--lots: expected a positive integer/,
      ],
      [
        ['orders', 'place', '--tenant', 'no-such-tenant', '--structure', 'iron-condor', '--lots', '1'],
        /--tenant: no tenant with slug "no-such-tenant"/,
      ],
      [['reconcile', '--tenant', 'no-such-tenant'], /--tenant: no tenant with slug/],
    ];
    for (const [args, message] of cases) {
      const r = await qs(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    }
  });

  it('places a structure on the paper broker, shows it, and reconciles clean', async () => {
    const { id, slug } = await createTenant(pool, 'cli');
    await configurePaperAccount(pool, id, { market: PAPER_DAY, exchange: { latencyMsMin: 1, latencyMsMax: 5 } });
    await orderWorkers(pool).run(async () => {
      const placed = await qs(
        'orders',
        'place',
        '--tenant',
        slug,
        '--structure',
        'bear-call-spread',
        '--instrument',
        'NIFTY',
        '--lots',
        '2',
        '--wait',
        '--json',
      );
      expect(placed.stderr).toBe('');
      const p = JSON.parse(placed.stdout);
      expect(p).toMatchObject({ tenant: slug, tenantId: id, structure: 'BEAR_CALL_SPREAD', lots: 2, status: 'filled' });
      expect(p.workflowId).toBe(`order/${id}/${p.decisionId}`);
      expect(p.legs).toHaveLength(2);

      const plain = await qs('orders', 'place', '--tenant', slug, '--structure', 'IRON_CONDOR', '--lots', '1');
      expect(plain.stdout).toMatch(new RegExp(`^started order/${id}/cli-`));

      const shown = JSON.parse((await qs('orders', 'show', '--tenant', slug, '--json')).stdout);
      expect(shown.orders.length).toBeGreaterThanOrEqual(2);
      expect(shown.trades[shown.trades.length - 1]).toMatchObject({ decisionId: p.decisionId, status: 'filled' });

      // Let the plain (not waited for) placement finish, then reconcile.
      const { Connection, Client } = await import('@temporalio/client');
      const connection = await Connection.connect({ address: testEnv().temporalAddress });
      try {
        await new Client({ connection, namespace: testEnv().namespace }).workflow
          .getHandle(plain.stdout.split('\n')[0]!.replace('started ', ''))
          .result();
      } finally {
        await connection.close();
      }
      const rec = await qs('reconcile', '--tenant', slug, '--json');
      expect(rec.code).toBe(0);
      expect(JSON.parse(rec.stdout)).toMatchObject({ clean: true, ledgerOrders: 6, brokerOrders: 6, mismatches: [] });
    });
  });
});
