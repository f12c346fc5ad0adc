/**
 * TradingDay on the real stack: Temporal dev server, Postgres, trading and broker workers, the
 * paper broker, decide with models trained and promoted in the registry (served through a
 * ModelCache). Accelerated days on the simulator: a full day (decisions, trades through
 * OrderPlacement children, 15:15 square-off, clean reconciliation, summary row), the same seed
 * deciding the same way for two tenants; a holiday; pre-open reconciliation not clean → HALTED;
 * halt mid-day → no new entries; pause and resume; validators refusing bad updates; an exit rule
 * firing across continue-as-new; reduce-only refusing entries while exits go; flatten mid-day;
 * chaos: the workers SIGKILLed and the Temporal dev server and Postgres restarted mid-day.
 */
import { until } from '../support/until';
import { WorkflowFailedError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { startWorkflow } from '../../runtime/workflow-client';
import { tenantBrokerQueue, TASK_QUEUES } from '../../contracts/task-queues';
import { TenantId, TradingDate, TradingStateAttr } from '../../contracts/search-attributes';
import {
  dayStatusQuery,
  haltDayUpdate,
  flattenDayUpdate,
  pauseDayUpdate,
  reduceDayUpdate,
  resumeDayUpdate,
  setCadenceUpdate,
  tradingDayWorkflowId,
  type DaySummary,
  type TradingDayInput,
} from '../../contracts/trading-day';
import { setKillSwitch } from '../../db/tenant-console';
import { setDedicatedBrokerQueue } from '../../db/broker-queue';
import { orderPlacementWorkflowId } from '../../contracts/orders';
import { withTenant } from '../../db/tenant';
import { tradingDay } from '../../db/trading-days';
import { formatMinuteOfDay } from '../../domain/dates';
import { ticksInDay } from '../../domain/trading-day';
import { createDecideActivities, registryModelSource } from '../../activities/decide';
import { runBacktest } from '../../cli/commands/backtest';
import { ModelCache } from '../../ml/model-cache';
import { ModelRegistry } from '../../ml/registry';
import { trainOnDataVersion } from '../../ml/trainers';
import type { ModelTypeId } from '../../ml/model-types';
import { brokerActivities, tradingActivities } from '../../workers/activities';
import { testClient, testEnv, testPool, testWorker } from '../support/env';
import { maybeRecordHistory } from '../support/record-history';
import { auditCount, createTenant, FAST, PAPER_DAY, paperTenant } from '../support/orders-env';
import { runQs } from '../support/run-qs';
import { configurePaperAccount, PaperBroker } from '../../broker/paper/paper-broker';
import { Rng } from '../../domain/random';
import type { ChildProcess } from 'node:child_process';
import { sigkill, workerProcess } from '../support/worker-process';
import { restartHarnessTemporal } from '../support/temporal-outage';
import { startHarnessPostgres, stopHarnessPostgres } from '../support/pg-outage';

jest.setTimeout(900_000);

const DATE = '2026-05-06';
const ONE_MINUTE_DAY = process.env.QS_ONE_MINUTE_DAY === '1';
/** Worker kills in the chaos case (QS_CHAOS_DAY_KILLS=10 for the long run: npm run chaos:day). */
const DAY_KILLS = Number(process.env.QS_CHAOS_DAY_KILLS ?? 1);
if (!Number.isInteger(DAY_KILLS) || DAY_KILLS < 1)
  throw new Error(`QS_CHAOS_DAY_KILLS must be a whole number of kills ≥ 1, not ${process.env.QS_CHAOS_DAY_KILLS}`);
/** The kill after whose worker Temporal (SIGKILL) and then Postgres restart: 3 and 6 of 10; both at the first of 1. */
const TEMPORAL_RESTART_AT = Math.max(1, Math.round(DAY_KILLS * 0.3));
const POSTGRES_RESTART_AT = Math.max(1, Math.round(DAY_KILLS * 0.6));
/** How long each server stays down: long enough that clients meet refused connections, not only a drop. */
const OUTAGE_MS = 2000;
const CADENCE = 15;
/**
 * The chaos day's cadence: each worker incarnation moves the day on by one to a few decisions, so
 * more than a few kills need more than the 23 ticks of a 15-minute day to land in the open market.
 */
const CHAOS_CADENCE = DAY_KILLS > 3 ? 5 : CADENCE;
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

/** Exit placements of a tenant's day that filled (one per structure an exit rule closed). */
async function filledExits(tenantId: number) {
  return withTenant(pool, tenantId, async ({ client }) =>
    Number(
      (
        await client.query(
          `SELECT count(DISTINCT decision_id) FROM orders
            WHERE tenant_id = $1 AND decision_id LIKE 'day-%-exit' AND purpose = 'entry' AND status = 'FILLED'`,
          [tenantId],
        )
      ).rows[0].count,
    ),
  );
}

/** The distinct model sets a tenant's day decisions used (a decision refused before any model ran lists none). */
async function modelSets(tenantId: number) {
  return withTenant(
    pool,
    tenantId,
    async ({ client }) =>
      (
        await client.query(
          `SELECT DISTINCT model_versions::text FROM decisions
            WHERE tenant_id = $1 AND id LIKE 'day-%' AND model_versions <> '[]'::jsonb`,
          [tenantId],
        )
      ).rows,
  );
}

const exitCount = (s: { exits?: Readonly<Record<string, number>> }) =>
  Object.values(s.exits ?? {}).reduce((x, y) => x + y, 0);

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
        // b continues as new every 6 ticks: the carried state decides exactly as a's one run does.
        const [ha, hb] = await Promise.all([
          start(client, input(a, { seed })),
          start(client, input(b, { seed, maxTicksPerRun: 6 })),
        ]);
        const results = await Promise.all([ha.result(), hb.result()]);
        const firstRun = await client.workflow.getHandle(hb.workflowId, hb.firstExecutionRunId).describe();
        expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
        return results;
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
      // Exit rules closed structures through OrderPlacement ('close', under <decision>-exit) before the close.
      expect(exitCount(sa)).toBeGreaterThan(0);
      expect(sa.closedStructures).toBe(sa.trades);
      expect(sa.winRate).not.toBeNull();
      expect(await filledExits(a)).toBe(exitCount(sa));
      expect(sb.exits).toEqual(sa.exits);
      // The models pinned at the open decided every tick.
      expect(sa.models!.map((m) => m.typeId)).toEqual(expect.arrayContaining(['signal_stack', 'strategy_agents']));
      expect(await modelSets(a)).toHaveLength(1);
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
      await maybeRecordHistory(client, sa.workflowId, 'trading-day-exit-rules-full');
      await maybeRecordHistory(client, sb.workflowId, 'trading-day-continued-last-run');
    },
  );

  // A whole day at a 1-minute cadence takes minutes: QS_ONE_MINUTE_DAY=1 (npm run day:one-minute) runs it;
  // the suite keeps the short version above (continue-as-new every 6 ticks).
  (ONE_MINUTE_DAY ? it : it.skip)(
    'a whole day at a 1-minute cadence continues as new when Temporal suggests it, each run within the limits',
    async () => {
      const t = await paperTenant(pool);
      const t0 = Date.now();
      const h = await start(client, input(t, { seed: tradingSeed, cadenceMinutes: 1 }));
      const s = await withWorkers(() => h.result());
      expect(s).toMatchObject({ status: 'completed', reconciliationClean: true });
      expect(s.decisions).toBe(ticksInDay(1));
      expect(s.openPositionsAtClose).toBe(0);
      const runs: Array<{ status: string; events: number; bytes: number }> = [];
      for await (const run of client.workflow.list({ query: `WorkflowId = '${h.workflowId}'` })) {
        const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
        runs.push({
          status: run.status.name,
          events: history.events?.length ?? 0,
          bytes: JSON.stringify(history).length,
        });
      }
      process.stderr.write(
        `[trading-day] 1-minute day: ${s.decisions} decisions, ${s.trades} trades in ${Date.now() - t0} ms; ` +
          `runs ${JSON.stringify(runs)}\n`,
      );
      // Temporal suggested continue-as-new (its default: 4 Ki events or 4 MB) before the day ended.
      expect(runs.filter((r) => r.status === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(1);
      // Each run far below the server's warning limits (10 Ki events, 10 MB of history).
      for (const r of runs) {
        expect(r.events).toBeLessThan(10_240);
        expect(r.bytes).toBeLessThan(10 * 1024 * 1024);
      }
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

  it('reduce-only refuses new entries and lets exits go; flatten leaves a flat book', async () => {
    const t = await paperTenant(pool);
    const i = input(t, { seed: tradingSeed, exitRules: { timeStopMinutes: 2 * CADENCE } });
    const s = await withWorkers(async () => {
      const h = await start(client, i);
      await untilLong('an open structure', async () => (await h.query(dayStatusQuery)).openStructures.length > 0);
      const reduced = await h.executeUpdate(reduceDayUpdate, { args: [{ by: 'risk@test', reason: 'test reduce' }] });
      expect(reduced).toMatchObject({ state: 'REDUCING', stateReason: 'test reduce' });
      const summary = await h.result();
      // The entry in flight when the reduce landed may complete; nothing after it.
      expect(summary.trades).toBeLessThanOrEqual(reduced.trades + 1);
      expect(summary.finalState).toBe('REDUCING');
      // The structure held at the reduce left by its exit rule (a 30-minute time stop at the latest).
      expect(exitCount(summary)).toBeGreaterThan(exitCount(reduced));
      return summary;
    });
    expect(s).toMatchObject({ status: 'completed', reconciliationClean: true, openPositionsAtClose: 0 });
    await maybeRecordHistory(client, s.workflowId, 'trading-day-reduce-exit');

    const f = await paperTenant(pool);
    const flat = await withWorkers(async () => {
      const h = await start(client, input(f, { seed: tradingSeed }));
      await untilLong('an open position', async () => (await h.query(dayStatusQuery)).positions.length > 0);
      await h.executeUpdate(haltDayUpdate, { args: [{ by: 'ops@test', reason: 'stop' }] });
      // A kill switch stops new risk, not the flatten: its orders are placed as intent 'close'.
      await withTenant(pool, f, (tx) =>
        setKillSwitch(tx, { scope: 'tenant', target: '*', active: true, reason: 'test stop', userId: null }),
      );
      const after = await h.executeUpdate(flattenDayUpdate, { args: [{ by: 'ops@test', reason: 'flat now' }] });
      expect(after.positions).toEqual([]);
      expect(after.openStructures).toEqual([]);
      expect(await openPositions(f)).toBe(0);
      return h.result();
    });
    expect(flat).toMatchObject({ status: 'halted', reconciliationClean: true, openPositionsAtClose: 0 });
    expect(flat.closedStructures).toBeGreaterThan(0);
    await maybeRecordHistory(client, flat.workflowId, 'trading-day-flatten-halted');
  });

  it("a tenant with its own broker queue: the day's orders go through that queue's worker only", async () => {
    const t = await paperTenant(pool);
    const { rows } = await pool.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [t]);
    const queue = tenantBrokerQueue(rows[0]!.slug);
    await withTenant(pool, t, (tx) => setDedicatedBrokerQueue(tx, queue));
    const own = await testWorker({
      taskQueue: queue,
      activities: brokerActivities({ pool, workerId: 'test-own-broker', liveTrading: false, queues: [queue] }),
    });
    const flat = await own.runUntil(
      withWorkers(async () => {
        const h = await start(client, input(t, { seed: tradingSeed }));
        await untilLong('an open position', async () => (await h.query(dayStatusQuery)).positions.length > 0);
        await h.executeUpdate(haltDayUpdate, { args: [{ by: 'ops@test', reason: 'stop' }] });
        await h.executeUpdate(flattenDayUpdate, { args: [{ by: 'ops@test', reason: 'flat now' }] });
        return h.result();
      }),
    );
    expect(flat).toMatchObject({ status: 'halted', reconciliationClean: true, openPositionsAtClose: 0 });
    // Every placement of the day scheduled its broker calls on the tenant's queue.
    const { rows: placements } = await withTenant(pool, t, ({ client: c }) =>
      c.query<{ decision_id: string }>('SELECT DISTINCT decision_id FROM orders WHERE tenant_id = $1', [t]),
    );
    expect(placements.length).toBeGreaterThanOrEqual(2);
    for (const { decision_id } of placements) {
      const history = await client.workflow.getHandle(orderPlacementWorkflowId(t, decision_id)).fetchHistory();
      const queues = (history.events ?? []).flatMap(
        (e) => e.activityTaskScheduledEventAttributes?.taskQueue?.name ?? [],
      );
      expect(new Set(queues)).toEqual(new Set([queue]));
    }
  });

  it('the daily loss guard closes the book and goes reduce-only; a malformed limit fails the day', async () => {
    const t = await paperTenant(pool);
    const s = await withWorkers(async () => {
      // Another date: the day's id is its business key.
      const bad = await start(client, input(t, { date: '2026-05-07', maxDailyLoss: 'lots' }));
      const err = await bad.result().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect(String((err as WorkflowFailedError).cause?.message)).toMatch(/^maxDailyLoss: expected rupees/);
      return start(client, input(t, { seed: tradingSeed, maxDailyLoss: '1.00' })).then((h) => h.result());
    });
    expect(s).toMatchObject({ status: 'completed', finalState: 'REDUCING', openPositionsAtClose: 0 });
    expect(s.reconciliationClean).toBe(true);
    const changes = await withTenant(
      pool,
      t,
      async ({ client: c }) =>
        (
          await c.query(
            `SELECT payload->>'kind' AS kind, payload->>'by' AS by, payload->>'reason' AS reason FROM audit_log
              WHERE tenant_id = $1 AND event_type = 'trading_day.change'`,
            [t],
          )
        ).rows,
    );
    expect(changes).toEqual([
      { kind: 'reduce', by: 'system:daily-loss-guard', reason: expect.stringMatching(/^daily loss limit ₹1\.00/) },
    ]);
    await maybeRecordHistory(client, s.workflowId, 'trading-day-loss-guard');
  });

  it(
    `chaos: the workers SIGKILLed ${DAY_KILLS} times mid-day, Temporal and Postgres restarted; ` +
      'the day completes, nothing placed twice',
    async () => {
      const t = await paperTenant(pool);
      const rng = new Rng(`day-chaos-${t}`);
      const h = await start(client, input(t, { seed: tradingSeed, cadenceMinutes: CHAOS_CADENCE }));
      const t0 = Date.now();
      let kills = 0;
      let seen = 0;
      const restarts: Array<{
        server: string;
        afterKill: number;
        decisions: number;
        downMs: number;
        movedOnMs: number;
      }> = [];
      /**
       * Polls until the day has a decision past `n` while open, or its ticks are over; a query failing
       * while a server comes back counts as not yet.
       */
      const movedPast = async (n: number, what: string) => {
        let last: unknown;
        try {
          return await until(
            what,
            async () => {
              const st = await h.query(dayStatusQuery).catch((e: unknown) => void (last = e));
              const on = st && ((st.phase === 'open' && st.decisions > n) || ['closing', 'closed'].includes(st.phase));
              return on && st;
            },
            90_000,
            100,
          );
        } catch (e) {
          throw new Error(`${(e as Error).message}; last query error: ${String(last)}`);
        }
      };
      /** Restarts a server under a live worker while the day is open, then waits for the day to move on. */
      const restart = async (server: 'temporal' | 'postgres', stopAndStart: () => Promise<void>) => {
        const st = await h.query(dayStatusQuery);
        expect(st.phase).toBe('open');
        const r0 = Date.now();
        await stopAndStart();
        const back = Date.now();
        // The worker answering a query proves it found Temporal again; a decision made after that, Postgres.
        const atBack = await movedPast(-1, `the worker to answer after the ${server} restart`);
        await movedPast(atBack.decisions, `the day to move on after the ${server} restart`);
        // downMs: stop to serving again; movedOnMs: from then until a decision made after the server was back.
        const r = {
          server,
          afterKill: kills,
          decisions: st.decisions,
          downMs: back - r0,
          movedOnMs: Date.now() - back,
        };
        restarts.push(r);
        process.stderr.write(`[trading-day] restart: ${JSON.stringify(r)}\n`);
      };
      const restartPostgres = async () => {
        await stopHarnessPostgres();
        try {
          await new Promise((r) => setTimeout(r, OUTAGE_MS));
        } finally {
          await startHarnessPostgres();
        }
      };
      let child: ChildProcess | undefined;
      /** The day's decisions at each kill (its phase when the market was no longer open). */
      const killedAt: Array<number | string> = [];
      try {
        while (kills < DAY_KILLS) {
          child = await workerProcess({ models: true });
          // Each incarnation first moves the day on (a new decision), so every kill lands in a working day.
          await movedPast(seen, 'the day to move on');
          // The restarts come under a live worker: its connections must find the server again by themselves.
          if (kills + 1 === TEMPORAL_RESTART_AT)
            await restart('temporal', () => restartHarnessTemporal({ signal: 'SIGKILL', downMs: OUTAGE_MS }));
          if (kills + 1 === POSTGRES_RESTART_AT) await restart('postgres', restartPostgres);
          // A random instant a few ticks on (a tick takes 100-300 ms): up to 1.5 s let 10 kills reach
          // decision 56 of 71 on a quiet machine.
          await new Promise((r) => setTimeout(r, rng.int(50, 800)));
          // Queried while a worker is up (a query needs one); the kill follows at once.
          const st = await h.query(dayStatusQuery);
          seen = st.decisions;
          await sigkill(child);
          kills++;
          killedAt.push(st.phase === 'open' ? st.decisions : st.phase);
          process.stderr.write(`[trading-day] kill ${kills} at ${Date.now() - t0} ms: ${st.decisions} decisions\n`);
          // The ticks are done: further kills would only hit the close (the long run prints how many landed).
          if (st.phase !== 'open') break;
        }
      } finally {
        if (child) await sigkill(child);
      }
      // Every kill and both restarts landed while the market was open.
      expect(killedAt).toHaveLength(DAY_KILLS);
      expect(killedAt.filter((k) => typeof k !== 'number')).toEqual([]);
      expect(restarts.map((r) => r.server)).toEqual(['temporal', 'postgres']);
      const last = await workerProcess({ models: true });
      let s: DaySummary;
      try {
        s = await h.result();
      } finally {
        await sigkill(last);
      }
      expect(s).toMatchObject({
        status: 'completed',
        decisions: ticksInDay(CHAOS_CADENCE),
        reconciliationClean: true,
      });
      expect(s.openPositionsAtClose).toBe(0);
      // No tag reached the exchange twice; every broker order is in the ledger with the broker's state.
      const brokerOrders = await new PaperBroker(pool, t).getOrders();
      expect(await auditCount(pool, t, 'paper.duplicate_tag')).toBe(0);
      expect(new Set(brokerOrders.map((o) => o.tag)).size).toBe(brokerOrders.length);
      const ledger = await withTenant(
        pool,
        t,
        async ({ client: c }) =>
          (
            await c.query<{ tag: string; broker_order_id: string | null; status: string; filled_quantity: number }>(
              'SELECT tag, broker_order_id, status, filled_quantity FROM orders WHERE tenant_id = $1',
              [t],
            )
          ).rows,
      );
      const byTag = new Map(ledger.map((o) => [o.tag, o]));
      for (const b of brokerOrders)
        expect(byTag.get(b.tag!)).toMatchObject({
          broker_order_id: b.brokerOrderId,
          status: b.status,
          filled_quantity: b.filledQuantity,
        });
      expect(ledger.filter((o) => o.broker_order_id !== null)).toHaveLength(brokerOrders.length);
      // One decision per tick, none lost or repeated.
      expect((await dayDecisions(t)).filter((d) => /^\d{4}$/.test(d.minute))).toHaveLength(ticksInDay(CHAOS_CADENCE));
      const counts = {
        kills,
        killedAt,
        restarts,
        ms: Date.now() - t0,
        trades: s.trades,
        exits: s.exits,
        brokerOrders: brokerOrders.length,
        ledgerRows: ledger.length,
        duplicateTags: 0,
      };
      process.stderr.write(`[trading-day] chaos: ${JSON.stringify(counts)}\n`);
    },
  );

  it('a backtest decides the same way every time and compares the engine to the baseline', async () => {
    const o = { from: DATE, to: DATE, instrument: 'NIFTY' as const, seeds: [tradingSeed], cadenceMinutes: 60 };
    const t0 = Date.now();
    const first = await runBacktest(registryModelSource(pool), o);
    process.stderr.write(`[trading-day] backtest of one day in ${Date.now() - t0} ms: ${JSON.stringify(first)}\n`);
    expect(await runBacktest(registryModelSource(pool), o)).toEqual(first);
    for (const p of [first.engine, first.baseline]) {
      expect(p.days).toBe(1);
      expect(p.perDay).toEqual([expect.objectContaining({ date: DATE, seed: tradingSeed, pnl: p.pnl })]);
      expect(Number(p.maxDrawdown)).toBeGreaterThanOrEqual(0);
    }
    // The baseline tries exactly when the engine trades, through the same castle: each try is a trade or a refusal.
    const refused = (p: typeof first.engine) => Object.values(p.refusals).reduce((a, b) => a + b, 0);
    expect(first.baseline.trades + refused(first.baseline)).toBeLessThanOrEqual(first.engine.trades);
    expect(first.engine.trades + refused(first.engine)).toBeLessThanOrEqual(ticksInDay(60));
    // Both books stay within the tenant's daily loss limit, the platform's and a tight one.
    const tight = await runBacktest(registryModelSource(pool), { ...o, maxDailyLoss: '3000.00' });
    for (const [r, limit] of [
      [first, 25_000],
      [tight, 3_000],
    ] as const)
      for (const p of [r.engine, r.baseline]) expect(Number(p.worstDay)).toBeGreaterThanOrEqual(-limit);
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
