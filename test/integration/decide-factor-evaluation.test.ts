/**
 * FactorEvaluation on the real stack: the weekly ICs computed on simulated weeks and stored, the
 * pool reviewed on them, de-promotions recorded with their figures and audited; a second run of
 * the same week computes and records nothing new. The bar is set high here so that some factors
 * fall below it; the pool is restored afterwards (it is global, and other files decide with it).
 */
import { createFactorEvaluationActivities } from '../../activities/factor-evaluation';
import { factorEvaluationWorkflowId } from '../../contracts/factor-evaluation';
import { DECISION_FACTORS } from '../../domain/decision';
import { executeWorkflow } from '../../runtime/workflow-client';
import { PLATFORM_TENANT_ID } from '../../db/schema/tenants';
import { withTenant } from '../../db/tenant';
import { switchedOffFactorNames } from '../../db/factor-pool';
import { testClient, testEnv, testPool, testWorker, uniqueQueue } from '../support/env';
import { runQs } from '../support/run-qs';
import { maybeRecordHistory } from '../support/record-history';

jest.setTimeout(180_000);

const WEEK_END = '2025-06-27';
const RULE = { window: 2, promoteAt: 0.9, demoteBelow: 0.25, minTStat: 2 };

describe('weekly factor evaluation', () => {
  const pool = testPool('app');
  const admin = testPool('admin');

  afterAll(async () => {
    await admin.query('DELETE FROM factor_pool WHERE period = $1', [WEEK_END]);
  });

  it('de-promotes the factors whose rolling IC is below the bar, once per week, audited', async () => {
    const client = await testClient();
    const taskQueue = uniqueQueue('factor-eval');
    const worker = await testWorker({ taskQueue, activities: createFactorEvaluationActivities({ pool }) });
    const run = (suffix: string) =>
      executeWorkflow(client, 'factorEvaluation', {
        taskQueue,
        workflowId: `${factorEvaluationWorkflowId(WEEK_END)}/${suffix}-${process.pid}`,
        args: [{ weekEnd: WEEK_END, rule: RULE, runs: 1 }],
      });
    const t0 = Date.now();
    const { first, again } = await worker.runUntil(async () => ({ first: await run('a'), again: await run('b') }));
    process.stderr.write(
      `[factor-evaluation] ${Date.now() - t0} ms; demoted ${first.demoted.map((d) => d.factor).join(', ')}\n`,
    );
    expect(first).toMatchObject({ weekEnd: WEEK_END, periods: ['2025-06-20', WEEK_END], recorded: true });
    expect(first.computedPeriods).toEqual(first.periods);
    expect(first.demoted.length).toBeGreaterThan(0);
    expect(first.demoted.length + first.promoted.length + first.kept).toBe(DECISION_FACTORS.length);
    for (const d of first.demoted) {
      expect(d.reason).toBe('IC_DECAYED');
      expect(Math.abs(d.rollingIc!)).toBeLessThan(RULE.demoteBelow);
    }
    expect([...first.switchedOff].sort()).toEqual(expect.arrayContaining(first.demoted.map((d) => d.factor).sort()));
    expect(await switchedOffFactorNames(pool)).toEqual(expect.arrayContaining(first.demoted.map((d) => d.factor)));

    // Each week's ICs and the week's review are stored once, with the figures.
    const ics = await pool.query(
      'SELECT period, count(*)::int AS n FROM factor_ics WHERE period = ANY($1) GROUP BY 1',
      [first.periods],
    );
    expect(ics.rows.map((r) => r.n)).toEqual(first.periods.map(() => DECISION_FACTORS.length));
    const reviews = await pool.query(
      "SELECT factor, rolling_ic, periods FROM factor_reviews WHERE period = $1 AND action = 'demote'",
      [WEEK_END],
    );
    expect(reviews.rows.map((r) => r.factor).sort()).toEqual(first.demoted.map((d) => d.factor).sort());
    expect(reviews.rows.every((r) => r.periods === 2)).toBe(true);
    const audited = await withTenant(pool, PLATFORM_TENANT_ID, (tx) =>
      tx.client.query(
        `SELECT payload->>'factor' AS factor FROM audit_log
          WHERE event_type = 'factor.demoted' AND payload->>'period' = $1`,
        [WEEK_END],
      ),
    );
    expect(audited.rows.map((r) => r.factor).sort()).toEqual(first.demoted.map((d) => d.factor).sort());

    // The same week again: nothing recomputed, nothing recorded twice, the same verdict reported.
    expect(again).toMatchObject({ recorded: false, computedPeriods: [], demoted: first.demoted });
    const count = await pool.query('SELECT count(*)::int AS n FROM factor_reviews WHERE period = $1', [WEEK_END]);
    expect(count.rows[0].n).toBe(DECISION_FACTORS.length);
    await maybeRecordHistory(client, `${factorEvaluationWorkflowId(WEEK_END)}/a-${process.pid}`, 'factor-evaluation');

    // Operators see the pool and the week's changes.
    const env = {
      QS_DATA_DIR: `${testEnv().tmp}/no-stack`,
      DATABASE_URL: testEnv().adminUrl,
      QS_APP_DATABASE_URL: testEnv().appUrl,
    };
    const shown = await runQs(['factors', 'pool', '--json'], env);
    expect(shown.code).toBe(0);
    const pool_ = JSON.parse(shown.stdout);
    expect(pool_.switchedOff).toEqual(expect.arrayContaining(first.demoted.map((d) => d.factor)));
    expect(pool_.lastPeriod).toBe(WEEK_END);
    const text = await runQs(['factors', 'pool'], env);
    expect(text.stdout).toContain(`last review: week ending ${WEEK_END}`);
    expect(text.stdout).toContain(`demote ${first.demoted[0]!.factor}: rolling IC`);
    const bad = await runQs(['factors', 'evaluate', '--week-end', '2025-06-28'], env);
    expect({ code: bad.code, stderr: bad.stderr.trim() }).toEqual({
      code: 2,
      stderr: 'qs: --week-end: expected a trading day YYYY-MM-DD, got "2025-06-28"',
    });
  });

  it('refuses a bad week end or rule with a reason, before computing anything', async () => {
    const client = await testClient();
    const taskQueue = uniqueQueue('factor-eval-bad');
    const worker = await testWorker({ taskQueue, activities: createFactorEvaluationActivities({ pool }) });
    const run = (args: object, id: string) =>
      executeWorkflow(client, 'factorEvaluation', {
        taskQueue,
        workflowId: `factor-evaluation-bad/${id}`,
        args: [args],
      });
    await worker.runUntil(async () => {
      await expect(run({ weekEnd: '27/06/2025' }, `date-${process.pid}`)).rejects.toMatchObject({
        cause: { type: 'BadEvaluationInput', message: 'weekEnd: expected a date YYYY-MM-DD, got 27/06/2025' },
      });
      await expect(
        run({ weekEnd: WEEK_END, rule: { promoteAt: 0.01, demoteBelow: 0.02 } }, `rule-${process.pid}`),
      ).rejects.toMatchObject({ cause: { type: 'BadEvaluationInput' } });
      await expect(run({ weekEnd: WEEK_END, runs: 0 }, `runs-${process.pid}`)).rejects.toMatchObject({
        cause: { type: 'BadEvaluationInput', message: 'runs: expected 1–64, got 0' },
      });
    });
  });
});
