/**
 * `qs hedge` as an operator types it, on the test run's Temporal and Postgres: enable with
 * flags (audited), refusals of bad flags in one line, status, and `roll --json` printing what
 * it bought and sold; and the tenant's daily schedule applied idempotently.
 */
import { applySchedules } from '../../stack/schedules/apply';
import { hedgeScheduleId, hedgeSchedules } from '../../stack/schedules/hedge';
import { createTenant, auditCount, orderWorkers, PAPER_DAY } from '../support/orders-env';
import { hedgedTenant } from '../support/hedge-env';
import { testClient, testEnv, testPool } from '../support/env';
import { runQs } from '../support/run-qs';
import { withTenant } from '../../db/tenant';

const pool = testPool('app');

function qs(...args: string[]) {
  const env = testEnv();
  return runQs(args, {
    QS_DATA_DIR: `${env.tmp}/no-stack`,
    TEMPORAL_ADDRESS: env.temporalAddress,
    TEMPORAL_NAMESPACE: env.namespace,
    DATABASE_URL: env.adminUrl,
    QS_APP_DATABASE_URL: env.appUrl,
  });
}

describe('qs hedge', () => {
  it('enables with flags (audited), refuses bad flags in one line, shows status, disables', async () => {
    const { id, slug } = await createTenant(pool, 'hedge');
    const on = await qs(
      'hedge',
      'enable',
      '--tenant',
      slug,
      '--delta',
      '4',
      '--window-days',
      '3',
      '--budget-pct',
      '1.5',
      '--json',
    );
    expect(on.code).toBe(0);
    expect(JSON.parse(on.stdout)).toMatchObject({ enabled: true, targetDelta: 4, windowDays: 3, budgetPct: '1.5000' });
    expect(await auditCount(pool, id, 'hedge.settings_changed')).toBe(1);

    for (const [args, message] of [
      [['--delta', '0'], /^qs: --delta: expected a decimal number > 0, got "0"$/],
      [['--window-days', 'five'], /^qs: --window-days: expected a non-negative integer, got "five"$/],
      [['--budget-pct', '101'], /^qs: --budget-pct: at most 100, got "101"$/],
    ] as const) {
      const r = await qs('hedge', 'enable', '--tenant', slug, ...args);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
      expect(r.stderr.trimEnd()).toMatch(message);
    }
    expect(await auditCount(pool, id, 'hedge.settings_changed')).toBe(1);

    const status = JSON.parse((await qs('hedge', 'status', '--tenant', slug, '--json')).stdout);
    expect(status).toMatchObject({ settings: { enabled: true, instrument: 'NIFTY' }, held: [], spentThisYear: '0.00' });
    const off = await qs('hedge', 'disable', '--tenant', slug);
    expect(off).toMatchObject({ code: 0, stdout: `tail hedge OFF for ${slug}\n` });
    const settings = await withTenant(
      pool,
      id,
      async ({ client }) => (await client.query('SELECT enabled, window_days FROM hedge_settings')).rows,
    );
    expect(settings).toEqual([{ enabled: false, window_days: 3 }]);
  });

  it('roll --json prints what it bought and sold', async () => {
    const client = await testClient();
    await orderWorkers(pool).run(async () => {
      const { tenantId, heldSymbol } = await hedgedTenant(pool, client, {}, '2026-05-12');
      const slug = (await pool.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [tenantId])).rows[0]!
        .slug;
      const r = await qs('hedge', 'roll', '--tenant', slug, '--date', PAPER_DAY.date, '--json');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ status: 'rolled', bought: { instrument: 'NIFTY', expiry: '2026-05-19' } });
      for (const field of ['instrument', 'expiry', 'strike', 'delta', 'premium'])
        expect(out.bought).toHaveProperty(field);
      expect(out.sold).toEqual([expect.objectContaining({ tradingsymbol: heldSymbol, expiry: '2026-05-12' })]);

      const again = JSON.parse(
        (await qs('hedge', 'roll', '--tenant', slug, '--date', PAPER_DAY.date, '--json')).stdout,
      );
      expect(again).toMatchObject({ status: 'nothing_to_do', bought: null, sold: [] });
      expect(again.reason).toMatch(/outside the 5-trading-day roll window/);
    });
  });

  it("applies the tenant's daily schedule idempotently (10:30 IST, weekdays, scheduledHedgeRoll)", async () => {
    const client = await testClient();
    const { id } = await createTenant(pool, 'hedge-sched');
    try {
      expect((await applySchedules(client, hedgeSchedules(id))).map((a) => a.result)).toEqual(['created']);
      expect((await applySchedules(client, hedgeSchedules(id))).map((a) => a.result)).toEqual(['unchanged']);
      const d = await client.schedule.getHandle(hedgeScheduleId(id)).describe();
      expect(d.spec.timezone).toBe('Asia/Kolkata');
      expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'scheduledHedgeRoll' });
    } finally {
      await client.schedule
        .getHandle(hedgeScheduleId(id))
        .delete()
        .catch(() => undefined);
    }
  });
});
