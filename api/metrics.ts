/**
 * Prometheus metrics for the API process, assembled like a worker's /metrics
 * (runtime/worker-endpoint.ts): the process's own registry (process metrics, HTTP, readiness,
 * postbacks, logins and, given a pool, the ledger gauges) followed by prom-client's default
 * registry, which holds the business metrics (runtime/business-metrics.ts) wherever they are
 * counted. Given a pool, each scrape first reads Postgres once (db/metrics.ts) and sets the
 * ledger gauges, today's P&L and the audit-log volume, then writes everything out (prom-client
 * collects metrics concurrently, so a per-gauge collect() could not feed the others in time).
 */
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, register, type Metric } from 'prom-client';
import { tenantMetricsSnapshot, type TenantMetricsSnapshot } from '../db/metrics';
import { auditEvents, tenantPnl } from '../runtime/business-metrics';

export function createMetrics(deps: { pool?: Pool } = {}) {
  const own = new Registry();
  collectDefaultMetrics({ register: own, prefix: 'qs_' });
  const httpDuration = new Histogram({
    name: 'qs_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [own],
  });
  const readinessFailures = new Counter({
    name: 'qs_readiness_failures_total',
    help: 'Readiness checks that found a part down, by part',
    labelNames: ['part'] as const,
    registers: [own],
  });
  const postbacksRejected = new Counter({
    name: 'qs_postbacks_rejected_total',
    help: 'Broker postbacks refused, by reason (malformed_tenant, invalid_body, no_kite_account, checksum_mismatch)',
    labelNames: ['reason'] as const,
    registers: [own],
  });
  const loginFailures = new Counter({
    name: 'qs_login_failures_total',
    help: 'Logins refused for wrong credentials',
    registers: [own],
  });
  const loginThrottled = new Counter({
    name: 'qs_login_throttled_total',
    help: 'Logins refused with 429 while the account or client address was backing off',
    registers: [own],
  });
  const refresh = deps.pool ? registerLedgerGauges(own, deps.pool) : async () => undefined;
  const registry = new ScrapeRegistry(refresh);
  // Both registries' metric objects: the business metrics all exist once runtime/business-metrics
  // is loaded (above), so none is missed.
  for (const r of [own, register])
    for (const m of r.getMetricsAsArray()) registry.registerMetric(m as unknown as Metric);
  return { registry, httpDuration, readinessFailures, postbacksRejected, loginFailures, loginThrottled };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** A registry that brings the values read from Postgres up to date before each scrape. */
class ScrapeRegistry extends Registry {
  constructor(private readonly refresh: () => Promise<void>) {
    super();
  }

  override async metrics(): Promise<string> {
    await this.refresh();
    return super.metrics();
  }
}

/** The per-tenant gauges read from Postgres; returns what a scrape calls first. */
function registerLedgerGauges(registry: Registry, pool: Pool): () => Promise<void> {
  const scrapeErrors = new Counter({
    name: 'qs_ledger_metrics_errors_total',
    help: 'Scrapes whose ledger read failed (the ledger gauges kept their last values)',
    registers: [registry],
  });
  const auditSeen = new Map<string, number>();
  const gauges: Array<{ gauge: Gauge; fill: (g: Gauge, t: TenantMetricsSnapshot) => void }> = [];
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    fill: (g: Gauge, t: TenantMetricsSnapshot) => void,
  ) => gauges.push({ gauge: new Gauge({ name, help, labelNames, registers: [registry] }), fill });
  const byStatus = (g: Gauge, tenant: string, counts: Record<string, number>) => {
    for (const [status, n] of Object.entries(counts)) g.set({ tenant, status }, n);
  };

  gauge('qs_ledger_orders', 'Orders in the ledger, by tenant and status', ['tenant', 'status'], (g, t) =>
    byStatus(g, t.tenant, t.orders),
  );
  gauge('qs_ledger_fills', 'Fills in the ledger, by tenant', ['tenant'], (g, t) =>
    g.set({ tenant: t.tenant }, t.fills),
  );
  gauge('qs_ledger_decisions', 'Decisions by tenant and outcome (status)', ['tenant', 'status'], (g, t) =>
    byStatus(g, t.tenant, t.decisions),
  );
  gauge('qs_ledger_trades', 'Trades recorded, by tenant and status', ['tenant', 'status'], (g, t) =>
    byStatus(g, t.tenant, t.trades),
  );
  gauge('qs_kill_switches_active', 'Active kill switches, by tenant', ['tenant'], (g, t) =>
    g.set({ tenant: t.tenant }, t.activeKillSwitches),
  );
  gauge(
    'qs_tenant_trading_state',
    "1 for the tenant's latest trading state (ACTIVE, REDUCING, HALTED, …)",
    ['tenant', 'state'],
    (g, t) => {
      if (t.tradingState) g.set({ tenant: t.tenant, state: t.tradingState }, 1);
    },
  );
  gauge('qs_tenant_reconciliation_clean', '1 while the last reconciliation is clean', ['tenant'], (g, t) =>
    g.set({ tenant: t.tenant }, t.reconciliationClean ? 1 : 0),
  );
  gauge('qs_reconciliation_unresolved_mismatches', 'Unresolved ledger/broker mismatches', ['tenant'], (g, t) =>
    g.set({ tenant: t.tenant }, t.unresolvedMismatches),
  );
  gauge('qs_tenant_drawdown_today_rupees', "Today's trading-day max drawdown, rupees", ['tenant'], (g, t) => {
    if (t.drawdownToday !== null) g.set({ tenant: t.tenant }, t.drawdownToday);
  });
  gauge('qs_tenant_realized_pnl_rupees', 'Realised P&L over all positions, rupees', ['tenant'], (g, t) =>
    g.set({ tenant: t.tenant }, t.realizedPnl),
  );
  gauge(
    'qs_broker_session_expires_in_seconds',
    'Kite access token: seconds until it expires at 06:00 IST (negative: expired)',
    ['tenant'],
    (g, t) => {
      if (t.brokerSessionExpiresIn !== null) g.set({ tenant: t.tenant }, t.brokerSessionExpiresIn);
    },
  );
  gauge(
    'qs_broker_session_stale',
    '1 when a Kite tenant must log in again (token expired or refused)',
    ['tenant'],
    (g, t) => g.set({ tenant: t.tenant }, t.brokerSessionStale ? 1 : 0),
  );

  return async () => {
    let tenants: TenantMetricsSnapshot[];
    try {
      tenants = await tenantMetricsSnapshot(pool);
    } catch {
      scrapeErrors.inc(); // the gauges keep their last values
      return;
    }
    for (const { gauge: g, fill } of gauges) {
      g.reset(); // a tenant or a status that is gone is gone from the scrape too
      for (const t of tenants) fill(g, t);
    }
    publishBusinessGauges(tenants, auditSeen);
  };
}

/** The business metrics that are read, not counted: today's P&L and the audit-log volume. */
function publishBusinessGauges(tenants: TenantMetricsSnapshot[], auditSeen: Map<string, number>): void {
  tenantPnl.reset();
  const audit = new Map<string, number>();
  for (const t of tenants) {
    if (t.pnlToday !== null) tenantPnl.set({ tenant: t.tenant }, t.pnlToday);
    for (const [action, n] of Object.entries(t.auditEvents)) audit.set(action, (audit.get(action) ?? 0) + n);
  }
  // The log only grows: the counter moves by what was appended since the last scrape.
  for (const [action, n] of audit) {
    const delta = n - (auditSeen.get(action) ?? 0);
    if (delta > 0) auditEvents.inc({ action }, delta);
    auditSeen.set(action, n);
  }
}
