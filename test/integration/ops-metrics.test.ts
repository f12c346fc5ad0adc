/**
 * Business metrics that move: a structure placed and filled on the paper broker by the real
 * OrderPlacement workflow on workers with the metrics interceptors, then operator events (kill
 * switch, a halted day, an unclean reconciliation, an expired Kite token). Asserts that the
 * counters moved by exactly what happened (read back from the ledger), that the API's /metrics
 * (its registry plus the business metrics) carries the ledger gauges, and that every metric the
 * dashboard and the alert rules query is exposed by a worker or the API.
 */
import type { Client } from '@temporalio/client';
import fs from 'node:fs';
import path from 'node:path';
import { register } from 'prom-client';
import { createMetrics } from '../../api/metrics';
import { audit } from '../../db/audit';
import { withTenant } from '../../db/tenant';
import { setKillSwitch } from '../../db/tenant-console';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { brokerActivities, tradingActivities } from '../../workers/activities';
import { workerInterceptors } from '../../workers/interceptors';
import { testClient, testPool, testWorker } from '../support/env';
import { paperTenant, place, placementInput } from '../support/orders-env';

const pool = testPool('app');
const DEPLOY = path.join(__dirname, '..', '..', 'deploy');

/** `name{labels} value` lines of a scrape, keyed by the series as written. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

const workerScrape = async () => parse(await register.metrics());

async function ledgerCount(tenantId: number, sql: string): Promise<number> {
  return withTenant(pool, tenantId, async ({ client }) => Number((await client.query(sql, [tenantId])).rows[0].n));
}

describe('business metrics', () => {
  let client: Client;
  beforeAll(async () => {
    client = await testClient();
  });

  it('move by what a placement and operator events did, on the worker and on the API', async () => {
    const metrics = createMetrics({ pool });
    const apiScrape = async () => parse(await metrics.registry.metrics());
    const tenantId = await paperTenant(pool);
    const slug = (await pool.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [tenantId])).rows[0]!
      .slug;
    const orderAuditRows = () =>
      ledgerCount(tenantId, "SELECT count(*) AS n FROM audit_log WHERE tenant_id = $1 AND event_type LIKE 'order.%'");
    const beforeApi = await apiScrape();
    const auditBefore = await orderAuditRows();
    const before = await workerScrape();

    const trading = await testWorker({
      taskQueue: TASK_QUEUES.trading,
      activities: tradingActivities({ pool, workerId: 'ops-metrics-trading' }),
      interceptors: workerInterceptors(),
    });
    const broker = await testWorker({
      taskQueue: TASK_QUEUES.broker,
      activities: brokerActivities({ pool, workerId: 'ops-metrics-broker', liveTrading: false }),
      interceptors: workerInterceptors(),
    });
    const input = await placementInput(pool, tenantId, 'IRON_CONDOR', 1);
    const result = await trading.runUntil(broker.runUntil(() => place(client, input)));
    expect(result.status).toBe('filled');

    const after = await workerScrape();
    const moved = (series: string) => (after.get(series) ?? 0) - (before.get(series) ?? 0);
    const legs = input.legs.length;
    expect(legs).toBe(4);
    expect(moved('qs_order_outcomes_total{outcome="placed"}')).toBe(legs);
    expect(moved('qs_order_outcomes_total{outcome="filled"}')).toBe(legs);
    expect(moved('qs_reconciliation_verdicts_total{verdict="clean",trigger="placement"}')).toBe(1);
    expect(moved('qs_activity_duration_seconds_count{activity_type="placeLegs",outcome="completed"}')).toBe(1);
    expect(moved('qs_trades_recorded_total{status="filled"}')).toBe(1);
    // Every activity the placement ran was timed, none failed.
    const timed = [...after.keys()].filter((k) => k.startsWith('qs_activity_duration_seconds_count{'));
    expect(timed.filter((k) => k.includes('outcome="failed"') && moved(k) > 0)).toEqual([]);

    // The operator side: a kill switch, a halted day, an unclean reconciliation, an expired token.
    await withTenant(pool, tenantId, (tx) =>
      setKillSwitch(tx, { scope: 'tenant', target: '*', active: true, reason: 'metrics test', userId: null }),
    );
    await audit(pool, tenantId, null, 'trading_day.change', { changeId: 'm1', kind: 'halt', state: 'HALTED' });
    await withTenant(pool, tenantId, async ({ client: c }) => {
      await c.query(
        `INSERT INTO tenant_trading_state (tenant_id, reconciliation_clean, unresolved)
         VALUES ($1, false, '[{"tag":"x"},{"tag":"y"}]')
         ON CONFLICT (tenant_id) DO UPDATE SET reconciliation_clean = false, unresolved = EXCLUDED.unresolved`,
        [tenantId],
      );
      await c.query(
        `INSERT INTO broker_accounts (tenant_id, broker, session_status, token_created_at)
         VALUES ($1, 'kite', 'active', now() - interval '3 days')
         ON CONFLICT (tenant_id) DO UPDATE SET broker = 'kite', session_status = 'active',
           token_created_at = now() - interval '3 days'`,
        [tenantId],
      );
    });

    const api = await apiScrape();
    const t = `tenant="${slug}"`;
    const orders = await ledgerCount(
      tenantId,
      "SELECT count(*) AS n FROM orders WHERE tenant_id = $1 AND status = 'FILLED'",
    );
    const fills = await ledgerCount(tenantId, 'SELECT count(*) AS n FROM fills WHERE tenant_id = $1');
    expect(orders).toBe(legs);
    expect(api.get(`qs_ledger_orders{${t},status="FILLED"}`)).toBe(orders);
    expect(api.get(`qs_ledger_fills{${t}}`)).toBe(fills);
    expect(fills).toBeGreaterThanOrEqual(legs);
    expect(api.get(`qs_ledger_trades{${t},status="filled"}`)).toBe(1);
    expect(beforeApi.get(`qs_kill_switches_active{${t}}`)).toBe(0);
    expect(api.get(`qs_kill_switches_active{${t}}`)).toBe(1);
    expect(api.get(`qs_tenant_trading_state{${t},state="HALTED"}`)).toBe(1);
    expect(api.get(`qs_tenant_reconciliation_clean{${t}}`)).toBe(0);
    expect(api.get(`qs_reconciliation_unresolved_mismatches{${t}}`)).toBe(2);
    expect(api.get(`qs_broker_session_stale{${t}}`)).toBe(1);
    expect(api.get(`qs_broker_session_expires_in_seconds{${t}}`)).toBeLessThan(0);
    // The audit volume counter moved by the rows the placement wrote (this file is the only writer now).
    const auditMoved = (await orderAuditRows()) - auditBefore;
    expect(auditMoved).toBeGreaterThanOrEqual(legs);
    expect(
      (api.get('qs_audit_events_total{action="order"}') ?? 0) -
        (beforeApi.get('qs_audit_events_total{action="order"}') ?? 0),
    ).toBe(auditMoved);
    // One registry approach: the API's scrape holds its own HTTP metrics and the business metrics.
    expect(api.get('qs_order_outcomes_total{outcome="placed"}')).toBe(
      after.get('qs_order_outcomes_total{outcome="placed"}'),
    );
    expect(await metrics.registry.metrics()).toContain('# TYPE qs_http_request_duration_seconds histogram');
  });

  it('every qs_ metric the dashboard and the alert rules query is exposed by a worker or the API', async () => {
    const exposed = await createMetrics({ pool }).registry.metrics();
    const queried = new Set(
      [path.join(DEPLOY, 'grafana', 'dashboards', 'quantsentinel.json'), path.join(DEPLOY, 'prometheus', 'alerts.yml')]
        .map((f) => fs.readFileSync(f, 'utf8'))
        .flatMap((text) => [...text.matchAll(/\b(qs_[a-z_]+)\b/g)].map((m) => m[1]!))
        .map((name) => name.replace(/_(bucket|sum|count)$/, '')),
    );
    expect(queried.has('qs_broker_session_stale')).toBe(true);
    expect(queried.has('qs_activity_duration_seconds')).toBe(true);
    // The API registry already includes the default one, where the worker-side metrics live.
    expect([...queried].filter((n) => !exposed.includes(`# TYPE ${n} `))).toEqual([]);
  });
});
