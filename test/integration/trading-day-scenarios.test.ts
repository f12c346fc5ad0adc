/**
 * TradingDay on the real stack: Temporal dev server, Postgres, trading and broker workers, the
 * paper broker, decide with models trained and promoted in the registry (served through a
 * ModelCache). Accelerated days on the simulator: a full day (decisions, trades through
 * OrderPlacement children, 15:15 square-off, clean reconciliation, summary row), the same seed
 * deciding the same way for two tenants; a holiday; pre-open reconciliation not clean → HALTED;
 * halt mid-day → no new entries; pause and resume; validators refusing bad updates.
 */
import { until } from '../support/until';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { startWorkflow } from '../../runtime/workflow-client';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { TenantId, TradingDate, TradingStateAttr } from '../../contracts/search-attributes';
import {
  dayStatusQuery,
  haltDayUpdate,
  flattenDayUpdate,
  pauseDayUpdate,
  resumeDayUpdate,
  setCadenceUpdate,
  tradingDayWorkflowId,
  type DaySummary,
  type TradingDayInput,
} from '../../contracts/trading-day';
import { withTenant } from '../../db/tenant';
import { tradingDay } from '../../db/trading-days';
import { formatMinuteOfDay } from '../../domain/dates';
import { ticksInDay } from '../../domain/trading-day';
import { createDecideActivities } from '../../activities/decide';
import { ModelCache } from '../../ml/model-cache';
import { ModelRegistry } from '../../ml/registry';
import { trainOnDataVersion } from '../../ml/trainers';
import type { ModelTypeId } from '../../ml/model-types';
import { brokerActivities, tradingActivities } from '../../workers/activities';
import { testClient, testEnv, testPool, testWorker } from '../support/env';
import { maybeRecordHistory } from '../support/record-history';
import { createTenant, FAST, PAPER_DAY, paperTenant } from '../support/orders-env';
import { runQs } from '../support/run-qs';
import { configurePaperAccount } from '../../broker/paper/paper-broker';

jest.setTimeout(900_000);

const DATE = '2026-05-06';
const CADENCE = 15;
const pool = testPool('app');
const untilLong = <T>(what: string, fn: () => Promise<T | undefined | null | false>) => until(what, fn, 120_000, 200);

const input = (tenantId: number, extra: Partial<TradingDayInput> = {}): TradingDayInput => ({
  tenantId,
  date: DATE,
  mode: 'accelerated',
  cadenceMinutes: CADENCE,
  seed: 7,
  orderOptions: FAST,
  ...extra,
});

function start(client: Client, i: TradingDayInput) {
  return startWorkflow(client, 'tradingDay', {
    taskQueue: TASK_QUEUES.trading,
    workflowId: tradingDayWorkflowId(i.tenantId, i.date),
    args: [i],
    workflowExecutionTimeout: '15 minutes',
  });
}

async function dayDecisions(tenantId: number) {
  return withTenant(pool, tenantId, async ({ client }) =>
    (
      await client.query<{ id: string; status: string; structure: string }>(
        "SELECT id, status, structure FROM decisions WHERE tenant_id = $1 AND id LIKE 'day-%' ORDER BY id",
        [tenantId],
      )
    ).rows.map((r) => ({ minute: r.id.slice(-4), status: r.status, structure: r.structure })),
  );
}

async function openPositions(tenantId: number) {
  return withTenant(pool, tenantId, async ({ client }) =>
    Number(
      (await client.query('SELECT count(*) FROM positions WHERE tenant_id = $1 AND quantity <> 0', [tenantId])).rows[0]
        .count,
    ),
  );
}

async function updateRefusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return String((err as WorkflowUpdateFailedError).cause?.message);
}

describe('TradingDay on the real stack', () => {
  const registry = new ModelRegistry(pool, { actor: 'trading-day-test' });
  const cache = new ModelCache({ pool, listenUrl: testEnv().appUrl, workerId: `trading-day-test-${process.pid}` });
  let client: Client;

  const save = async (typeId: ModelTypeId) => {
    const { run, metadata } = await trainOnDataVersion(typeId, '2026-03-06');
    await registry.saveModel({ scope: 'global', artifact: run.artifact, metadata });
  };

  /** Trading + broker workers serving decide with the cache, for the duration of fn. */
  async function withWorkers<T>(fn: () => Promise<T>): Promise<T> {
    const trading = await testWorker({
      taskQueue: TASK_QUEUES.trading,
      activities: tradingActivities({ pool, workerId: 'test-trading-day', models: cache }),
    });
    const broker = await testWorker({
      taskQueue: TASK_QUEUES.broker,
      activities: brokerActivities({ pool, workerId: 'test-trading-day-broker', liveTrading: false }),
    });
    return trading.runUntil(broker.runUntil(fn));
  }

  beforeAll(async () => {
    client = await testClient();
    const t0 = Date.now();
    if (!(await registry.loadProduction('signal_stack', null))) await save('signal_stack');
    if (!(await registry.loadProduction('strategy_agents', null))) await save('strategy_agents');
    process.stderr.write(`[trading-day] models ready in ${Date.now() - t0} ms\n`);
    await cache.start();
    tradingSeed = await seedThatTrades();
  });

  /** Many simulated markets never clear costs all day: find a seed whose day trades (probed on a spare tenant). */
  let tradingSeed = 7;
  async function seedThatTrades(): Promise<number> {
    const { decide } = createDecideActivities({ pool, models: cache });
    const probe = await paperTenant(pool);
    for (let seed = 1; seed <= 40; seed++)
      for (const minute of [9 * 60 + 30, 11 * 60, 13 * 60 + 30]) {
        const at = `${DATE}T${formatMinuteOfDay(minute)}:00+05:30`;
        const { decision } = await decide({ tenantId: probe, decisionId: `probe-${seed}-${minute}`, at, seed });
        if (decision.status === 'trade') {
          process.stderr.write(`[trading-day] seed ${seed} trades at ${at}\n`);
          return seed;
        }
      }
    throw new Error('no seed in 1..40 trades at the probed instants');
  }

  afterAll(async () => {
    await cache.stop();
  });

  it(
    'a full accelerated day: decisions, trades, square-off, ' +
      'clean reconciliation, summary; same seed, same decisions',
    async () => {
      const a = await paperTenant(pool);
      const b = await paperTenant(pool);
      const t0 = Date.now();
      const [sa, sb] = await withWorkers(async () => {
        const seed = tradingSeed;
        const [ha, hb] = await Promise.all([start(client, input(a, { seed })), start(client, input(b, { seed }))]);
        return Promise.all([ha.result(), hb.result()]);
      });
      process.stderr.write(
        `[trading-day] two accelerated days (${ticksInDay(CADENCE)} ticks each) in ${Date.now() - t0} ms: ` +
          `${JSON.stringify({ ...sa, refusals: sa.refusals })}\n`,
      );
      for (const s of [sa, sb]) {
        expect(s).toMatchObject({ status: 'completed', finalState: 'ACTIVE', reconciliationClean: true });
        expect(s.decisions).toBe(ticksInDay(CADENCE));
        expect(s.openPositionsAtClose).toBe(0);
        expect(s.refusalCount).toBe(Object.values(s.refusals).reduce((x, y) => x + y, 0));
      }
      expect(sa.trades).toBeGreaterThan(0);
      expect(sa.squaredOff).toBeGreaterThan(0);
      expect(Number(sa.costs)).toBeGreaterThan(0);
      expect(await openPositions(a)).toBe(0);
      // Same seed, same market, same decisions.
      expect(await dayDecisions(b)).toEqual(await dayDecisions(a));
      expect(sb.trades).toBe(sa.trades);
      // The summary row is the result.
      const row = await withTenant(pool, a, (tx) => tradingDay(tx, DATE));
      expect(row).toMatchObject({ status: 'completed', decisions: sa.decisions, trades: sa.trades, pnl: sa.pnl });
      expect(row!.summary).toEqual(sa);
      const described = await client.workflow.getHandle(sa.workflowId).describe();
      expect(described.typedSearchAttributes.get(TenantId)).toBe(String(a));
      expect(described.typedSearchAttributes.get(TradingDate)).toBe(DATE);
      expect(described.typedSearchAttributes.get(TradingStateAttr)).toBe('ACTIVE');
      await maybeRecordHistory(client, sa.workflowId, 'trading-day-accelerated-full');
    },
  );

  it('a holiday ends at once with reason holiday', async () => {
    const t = await paperTenant(pool);
    const s: DaySummary = await withWorkers(() =>
      start(client, input(t, { date: '2026-01-26' })).then((h) => h.result()),
    );
    expect(s).toMatchObject({ status: 'holiday', decisions: 0, trades: 0, reconciliationClean: null });
    expect(s.reason).toMatch(/not an NSE trading day/);
    await maybeRecordHistory(client, s.workflowId, 'trading-day-holiday');
  });

  it('a pre-open reconciliation that is not clean starts the day HALTED and says why', async () => {
    const t = await paperTenant(pool);
    // The ledger claims an order the broker has never heard of.
    await withTenant(pool, t, ({ client: c }) =>
      c.query(
        `INSERT INTO orders (tenant_id, tag, purpose, broker, instrument, tradingsymbol, side, quantity, order_type,
                             status, broker_order_id, filled_quantity)
         VALUES ($1, 'QLOSTORDER00000E00', 'entry', 'paper', 'NIFTY', 'NIFTY2651424000PE', 'SELL', 65, 'LIMIT',
                 'FILLED', '999999', 0)`,
        [t],
      ),
    );
    const s = await withWorkers(() => start(client, input(t, { cadenceMinutes: 60 })).then((h) => h.result()));
    expect(s).toMatchObject({ status: 'halted', finalState: 'HALTED', decisions: 0, trades: 0 });
    expect(s.reason).toMatch(/pre-open reconciliation not clean/);
    await maybeRecordHistory(client, s.workflowId, 'trading-day-pre-open-halted');
  });

  it('halt mid-day: no new entries after it, audited with who asked', async () => {
    const t = await paperTenant(pool);
    const s = await withWorkers(async () => {
      const h = await start(client, input(t));
      await untilLong('two decisions', async () => (await h.query(dayStatusQuery)).decisions >= 2);
      const halted = await h.executeUpdate(haltDayUpdate, { args: [{ by: 'ops@test', reason: 'test halt' }] });
      expect(halted).toMatchObject({ state: 'HALTED', stateReason: 'test halt' });
      expect(await updateRefusal(h.executeUpdate(haltDayUpdate, { args: [{ by: 'ops@test' }] }))).toMatch(
        /already halted/,
      );
      const summary = await h.result();
      // At most the decision already in flight when the halt landed, and it did not enter.
      expect(summary.decisions).toBeLessThanOrEqual(halted.decisions + 1);
      const haltAt = halted.changes.at(-1)!.at.slice(11, 16).replace(':', '');
      const after = (await dayDecisions(t)).filter((d) => d.minute > haltAt);
      const traded = await withTenant(
        pool,
        t,
        async ({ client: c }) =>
          (await c.query("SELECT decision_id FROM trades WHERE tenant_id = $1 AND decision_id LIKE 'day-%'", [t])).rows,
      );
      expect(traded.filter((r) => /^day-.*-\d{4}$/.test(r.decision_id) && r.decision_id.slice(-4) > haltAt)).toEqual(
        [],
      );
      expect(after.length).toBeLessThanOrEqual(1);
      return summary;
    });
    expect(s).toMatchObject({ status: 'halted', finalState: 'HALTED', reconciliationClean: true });
    expect(s.openPositionsAtClose).toBe(0);
    const audits = await withTenant(
      pool,
      t,
      async ({ client: c }) =>
        (
          await c.query(
            `SELECT payload->>'kind' AS kind, payload->>'by' AS by FROM audit_log
              WHERE tenant_id = $1 AND event_type = 'trading_day.change'`,
            [t],
          )
        ).rows,
    );
    expect(audits).toEqual([{ kind: 'halt', by: 'ops@test' }]);
    await maybeRecordHistory(client, s.workflowId, 'trading-day-halt-mid-day');
  });

  it('pause and resume; validators refuse what makes no sense, with the reason', async () => {
    const t = await paperTenant(pool);
    const s = await withWorkers(async () => {
      const h = await start(client, input(t, { cadenceMinutes: 30 }));
      const paused = await h.executeUpdate(pauseDayUpdate, { args: [{ by: 'trader@test' }] });
      expect(paused.paused).toBe(true);
      expect(await updateRefusal(h.executeUpdate(pauseDayUpdate, { args: [{ by: 'trader@test' }] }))).toMatch(
        /already paused/,
      );
      expect(await updateRefusal(h.executeUpdate(flattenDayUpdate, { args: [{ by: 'trader@test' }] }))).toMatch(
        /book is flat/,
      );
      expect(
        await updateRefusal(h.executeUpdate(setCadenceUpdate, { args: [{ by: 'trader@test', minutes: 0 }] })),
      ).toMatch(/cadence: expected whole minutes/);
      expect(await updateRefusal(h.executeUpdate(pauseDayUpdate, { args: [{ by: '' }] }))).toMatch(/by:/);
      // Market time stands still while an accelerated day is paused.
      const before = await untilLong('the open', async () => {
        const st = await h.query(dayStatusQuery);
        return st.phase === 'open' && st;
      });
      expect(before.nextTick).toBe(`${DATE}T09:45:00+05:30`);
      await new Promise((r) => setTimeout(r, 1500));
      const still = await h.query(dayStatusQuery);
      expect({ d: still.decisions, next: still.nextTick }).toEqual({ d: before.decisions, next: before.nextTick });
      const resumed = await h.executeUpdate(resumeDayUpdate, { args: [{ by: 'trader@test', reason: 'go' }] });
      expect(resumed).toMatchObject({ paused: false, state: 'ACTIVE' });
      expect(await updateRefusal(h.executeUpdate(resumeDayUpdate, { args: [{ by: 'trader@test' }] }))).toMatch(
        /already active/,
      );
      return h.result();
    });
    expect(s).toMatchObject({ status: 'completed', decisions: ticksInDay(30) });
    await maybeRecordHistory(client, s.workflowId, 'trading-day-pause-resume');
  });

  it(
    'qs day: start --wait --json prints the summary, ' + 'status --json the query, a refused update is one line',
    async () => {
      const { id, slug } = await createTenant(pool, 'daycli');
      await configurePaperAccount(pool, id, { market: PAPER_DAY, exchange: { latencyMsMin: 1, latencyMsMax: 5 } });
      const env = {
        QS_DATA_DIR: `${testEnv().tmp}/no-stack`,
        TEMPORAL_ADDRESS: testEnv().temporalAddress,
        TEMPORAL_NAMESPACE: testEnv().namespace,
        DATABASE_URL: testEnv().adminUrl,
        QS_APP_DATABASE_URL: testEnv().appUrl,
      };
      const day = ['--tenant', slug, '--date', DATE];
      await withWorkers(async () => {
        const bad = await runQs(['day', 'start', ...day, '--cadence', '0'], env);
        expect({ code: bad.code, err: bad.stderr.trim() }).toEqual({
          code: 2,
          err: expect.stringMatching(/^qs: --cadence: expected a positive integer/) as string,
        });
        const started = await runQs(
          ['day', 'start', ...day, '--accelerated', '--cadence', '60', '--wait', '--json'],
          env,
        );
        expect(started.code).toBe(0);
        const summary = JSON.parse(started.stdout) as DaySummary;
        expect(summary).toMatchObject({ status: 'completed', decisions: ticksInDay(60), reconciliationClean: true });
        for (const k of ['status', 'decisions', 'trades', 'refusals', 'pnl', 'reconciliationClean'])
          expect(summary).toHaveProperty(k);
        const status = await runQs(['day', 'status', ...day, '--json'], env);
        expect(status.code).toBe(0);
        expect(JSON.parse(status.stdout)).toMatchObject({
          state: 'ACTIVE',
          phase: 'closed',
          decisions: ticksInDay(60),
        });
        const late = await runQs(['day', 'resume', ...day, '--by', 'ops'], env);
        expect({ code: late.code, lines: late.stderr.trim().split('\n').length }).toEqual({ code: 2, lines: 1 });
        expect(late.stderr).toMatch(/is over|day is over/);
      });
    },
  );
});
