/**
 * The trading day through the API, on real Temporal (trading and broker workers on the real
 * activities) and real Postgres: start (a repeat attaches), status, the
 * controls as the workflow's updates with the role matrix (a trader may pause, reduce and resume
 * a pause; halting, flattening and lifting a halt are an operator's), refusals as 409 with the
 * validator's reason, and another tenant's day out of reach. The day runs live on the next NSE
 * trading date, so it waits for its first tick and nothing trades.
 */
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { issueSession } from '../../api/session';
import { configurePaperAccount } from '../../broker/paper/paper-broker';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { tradingDayWorkflowId } from '../../contracts/trading-day';
import { withTenant } from '../../db/tenant';
import { isTradingDay } from '../../domain/calendar';
import { istParts } from '../../domain/dates';
import { brokerActivities, tradingActivities } from '../../workers/activities';
import { registryModelSource } from '../../activities/decide';
import { startTestApi, type TestApi } from '../support/api-harness';
import { testClient, testPool, testWorker } from '../support/env';
import { createTenant, PAPER_DAY } from '../support/orders-env';
import { until } from '../support/until';

jest.setTimeout(120_000);

const SECRET = 'y'.repeat(40);

/** The next NSE trading date after today (IST): a live day on it waits for its first tick. */
function nextTradingDate(): string {
  for (let ms = Date.now() + 86_400_000; ; ms += 86_400_000) {
    const { date } = istParts(ms);
    if (isTradingDay(date)) return date;
  }
}

interface Status {
  state: string;
  paused: boolean;
  phase: string;
  changes: Array<{ kind: string; by: string; reason: string | null }>;
}

describe('API trading day: start, status, controls by role', () => {
  const pool = testPool('app');
  const date = nextTradingDate();
  let api: TestApi;
  let client: Client;
  let stopWorkers: () => void;
  let workersDone: Promise<unknown>;
  let tenant: { id: number; slug: string };
  let other: { id: number; slug: string };
  const as = (role: string, t = tenant) => issueSession(SECRET, { userId: 7, tenantId: t.id, role });
  const post = (verb: string, role: string, body: unknown = { date }, t = tenant) =>
    api.call(`/t/${t.slug}/api/v1/trading-day/${verb}`, {
      method: 'POST',
      bearer: as(role, t),
      body: JSON.stringify(body),
    });
  const status = async (role = 'trader', t = tenant) =>
    api.call(`/t/${t.slug}/api/v1/trading-day?date=${date}`, { bearer: as(role, t) });

  beforeAll(async () => {
    // Files run one at a time and the day is terminated at the end: no other file's worker runs it.
    client = await testClient();
    tenant = await createTenant(pool, 'api-day');
    other = await createTenant(pool, 'api-day-o');
    await configurePaperAccount(pool, tenant.id, { market: PAPER_DAY });
    const trading = await testWorker({
      taskQueue: TASK_QUEUES.trading,
      activities: tradingActivities({ pool, workerId: 'api-day-trading', models: registryModelSource(pool) }),
    });
    const broker = await testWorker({
      taskQueue: TASK_QUEUES.broker,
      activities: brokerActivities({ pool, workerId: 'api-day-broker', liveTrading: false }),
    });
    let stop!: () => void;
    const running = new Promise<void>((r) => (stop = r));
    workersDone = trading.runUntil(broker.runUntil(running));
    stopWorkers = stop;
    api = await startTestApi({ pool, sessionSecret: SECRET, client, log: pino({ level: 'error' }) });
  });
  afterAll(async () => {
    await client?.workflow
      .getHandle(tradingDayWorkflowId(tenant.id, date))
      .terminate('test over')
      .catch(() => undefined);
    stopWorkers?.();
    await workersDone?.catch(() => undefined);
    await api?.close();
  });

  it('a trader cannot start the day; an operator starts it once (a repeat attaches); status follows', async () => {
    expect((await status()).status).toBe(404);
    expect((await post('start', 'trader')).status).toBe(403);
    const started = await post('start', 'operator', { date, cadenceMinutes: 30 });
    expect(started.status).toBe(202);
    expect(await started.json()).toEqual({
      workflowId: tradingDayWorkflowId(tenant.id, date),
      date,
      mode: 'live',
      attached: false,
    });
    expect(await (await post('start', 'admin', { date })).json()).toMatchObject({ attached: true });
    const open = await until('the day to open', async () => {
      const res = await status();
      if (res.status !== 200) return null;
      const body = (await res.json()) as { running: boolean; status: Status };
      return body.status.phase === 'open' && body;
    });
    expect(open).toMatchObject({ running: true, summary: null, status: { state: 'ACTIVE', paused: false } });
  });

  it('by role: a trader pauses, reduces, resumes a pause; halt, flatten, lifting a halt need an operator', async () => {
    const ok = async (res: Response) => {
      const text = await res.text();
      expect([res.status, text.slice(0, 300)]).toEqual([200, expect.any(String)]);
      return JSON.parse(text) as Status;
    };
    expect(await ok(await post('pause', 'trader', { date, reason: 'lunch' }))).toMatchObject({ paused: true });
    const again = await post('pause', 'trader');
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'refused', detail: expect.stringMatching(/already paused/) });
    expect(await ok(await post('resume', 'trader'))).toMatchObject({ paused: false, state: 'ACTIVE' });
    expect(await ok(await post('reduce', 'trader'))).toMatchObject({ state: 'REDUCING' });
    // Reduce-only is lifted by an operator, not by the trader who can only resume a pause.
    const lift = await post('resume', 'trader');
    expect(lift.status).toBe(403);
    expect(((await lift.json()) as { detail: string }).detail).toMatch(/REDUCING: only an operator or an admin/);
    expect((await post('halt', 'trader')).status).toBe(403);
    expect((await post('flatten', 'trader')).status).toBe(403);
    expect(await ok(await post('halt', 'operator', { date, reason: 'risk review' }))).toMatchObject({
      state: 'HALTED',
    });
    const flat = await post('flatten', 'admin');
    expect(flat.status).toBe(409);
    expect(((await flat.json()) as { detail: string }).detail).toMatch(/book is flat/);
    expect((await post('cadence', 'trader', { date, minutes: 15 })).status).toBe(403);
    expect(await ok(await post('cadence', 'operator', { date, minutes: 15 }))).toMatchObject({ cadenceMinutes: 15 });
    const lifted = await ok(await post('resume', 'admin'));
    expect(lifted).toMatchObject({ state: 'ACTIVE', paused: false });
    // Every change names the API user who asked, and was audited by the workflow.
    expect(lifted.changes.map((c) => [c.kind, c.by])).toEqual(
      expect.arrayContaining([
        ['pause', `api:user/7@tenant/${tenant.id}`],
        ['halt', `api:user/7@tenant/${tenant.id}`],
      ]),
    );
    await until('the audit rows', async () => {
      const { rows } = await withTenant(pool, tenant.id, ({ client: c }) =>
        c.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND event_type = 'trading_day.change'",
          [tenant.id],
        ),
      );
      return rows[0].n >= 6;
    });
    // Each audited change went out on the trading-state channel (the dashboard's feed).
    const { rows: events } = await withTenant(pool, tenant.id, ({ client: c }) =>
      c.query<{ kind: string }>(
        `SELECT payload->'day'->>'kind' AS kind FROM api_events
          WHERE tenant_id = $1 AND channel = 'trading-state' AND payload->>'kind' = 'day_change' ORDER BY id`,
        [tenant.id],
      ),
    );
    expect(events.map((e) => e.kind)).toEqual(['pause', 'resume', 'reduce', 'halt', 'setCadence:15', 'resume']);
  });

  it('garbage is a 400 naming the field; another tenant reaches nothing; no day is a 404', async () => {
    for (const [verb, body, field] of [
      ['pause', { date: '2026-02-30' }, 'body.date'],
      ['pause', { date, reason: '' }, 'body.reason'],
      ['pause', { date, by: 'someone else' }, 'body'],
      ['start', { date, mode: 'turbo' }, 'body.mode'],
      ['start', { date, cadenceMinutes: 0 }, 'body.cadenceMinutes'],
      ['cadence', { date, minutes: 61 }, 'body.minutes'],
    ] as const) {
      const res = await post(verb, 'admin', body);
      expect([verb, JSON.stringify(body), res.status]).toEqual([verb, JSON.stringify(body), 400]);
      expect(((await res.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toContain(field);
    }
    expect(
      (await api.call(`/t/${tenant.slug}/api/v1/trading-day?date=tomorrow`, { bearer: as('trader') })).status,
    ).toBe(400);
    // The other tenant's admin: the same 404 on our slug; on its own slug, a day it never started.
    const intruder = issueSession(SECRET, { userId: 9, tenantId: other.id, role: 'admin' });
    for (const verb of ['halt', 'pause', 'flatten'])
      expect(
        (
          await api.call(`/t/${tenant.slug}/api/v1/trading-day/${verb}`, {
            method: 'POST',
            bearer: intruder,
            body: JSON.stringify({ date }),
          })
        ).status,
      ).toBe(404);
    expect((await status('admin', other)).status).toBe(404);
    const none = await post('halt', 'admin', { date }, other);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { detail: string }).detail).toMatch(/no trading day/);
  });
});
