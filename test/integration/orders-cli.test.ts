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
import { testClient, testEnv, testPool } from '../support/env';
import { createTenant, orderWorkers, PAPER_DAY } from '../support/orders-env';
import { runQs } from '../support/run-qs';
import { configurePaperAccount } from '../../broker/paper/paper-broker';
import { withTenant } from '../../db/tenant';

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
        /--structure: expected one of bull-put-spread, .*iron-condor.*, got "butterfly-of-doom"/,
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

  it('refuses out-of-bounds values before anything is read, written or started: one line naming the flag', async () => {
    const { id, slug } = await createTenant(pool, 'bounds');
    const place = (...flags: string[]) => ['orders', 'place', '--tenant', slug, '--structure', 'iron-condor', ...flags];
    const cases: Array<[string[], RegExp]> = [
      // Today this started a workflow that overflowed int4 and failed after 90 s.
      [
        place('--lots', '1000000000'),
        /^qs: --lots: at most 27 \(lots of NIFTY per order: a leg must fit the .* freeze quantity\), got "1000000000"$/,
      ],
      [place('--lots', '28'), /^qs: --lots: at most 27 /],
      [place('--instrument', 'BANKNIFTY', '--lots', '31'), /^qs: --lots: at most 30 \(lots of BANKNIFTY per order/],
      [place('--lots', '0x10'), /^qs: --lots: expected a positive integer, got "0x10"$/],
      [place('--lots', '1e1'), /^qs: --lots: expected a positive integer, got "1e1"$/],
      [place('--lots', ''), /^qs: --lots: expected a positive integer, got ""$/],
      [place('--lots', '2', '--fill-timeout', '0'), /^qs: --fill-timeout: expected a positive integer, got "0"$/],
      [place('--lots', '2', '--fill-timeout', 'Infinity'), /^qs: --fill-timeout: expected a positive integer/],
      [place('--lots', '2', '--fill-timeout', '86400'), /^qs: --fill-timeout: at most 22500 /],
      [
        place('--lots', '2', '--instrument', 'SENSEX'),
        /^qs: --instrument: expected one of NIFTY, BANKNIFTY, got "SENSEX"$/,
      ],
      [place('--lots', '2', '--bogus'), /^qs: unknown option '--bogus'$/],
      [
        ['orders', 'place', '--tenant', slug, '--structure', 'iron-condor'],
        /^qs: required option '--lots <n>' not specified$/,
      ],
      [['orders', 'show', '--tenant', slug, '--limit', '0'], /^qs: --limit: expected a positive integer, got "0"$/],
      [['orders', 'show', '--tenant', slug, '--limit', '10 rows'], /^qs: --limit: expected a positive integer/],
      [
        ['orders', 'place', '--tenant', 'platform', '--structure', 'iron-condor', '--lots', '1'],
        /^qs: --tenant: "platform" is the platform's own tenant, not a trading tenant$/,
      ],
      [['reconcile', '--tenant', 'platform'], /^qs: --tenant: "platform" is the platform's own tenant/],
    ];
    const env = {
      QS_DATA_DIR: `${testEnv().tmp}/no-stack`,
      TEMPORAL_ADDRESS: testEnv().temporalAddress,
      TEMPORAL_NAMESPACE: testEnv().namespace,
      DATABASE_URL: testEnv().adminUrl,
      QS_APP_DATABASE_URL: testEnv().appUrl,
    };
    for (const [args, message] of cases) {
      const r = await runQs(args, env);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(message);
    }
    // Nothing written (no order intent, not even the paper account a placement creates) or started.
    const written = await withTenant(pool, id, async ({ client }) => ({
      orders: (await client.query('SELECT count(*)::int AS n FROM orders')).rows[0].n,
      paperAccounts: (await client.query('SELECT count(*)::int AS n FROM paper_accounts')).rows[0].n,
    }));
    expect(written).toEqual({ orders: 0, paperAccounts: 0 });
    const started: string[] = [];
    for await (const w of (await testClient()).workflow.list({ query: `WorkflowId STARTS_WITH "order/${id}/"` }))
      started.push(w.workflowId);
    expect(started).toEqual([]);
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
