/**
 * What the business gauges read at scrape time: per tenant, the ledger (orders by status,
 * fills, decisions and trades by status), kill switches, the trading state, reconciliation,
 * today's P&L and drawdown, the broker session, and audit-log rows by action. One query per
 * tenant under its own RLS (withTenant, four tenants at a time: bench:metrics); labels are the
 * tenant's slug and code-defined statuses, never ids.
 */
import type { Pool } from 'pg';
import { kiteTokenExpiry } from './broker-credentials';
import { activeTenantIds, withTenant } from './tenant';

export interface TenantMetricsSnapshot {
  tenant: string;
  orders: Record<string, number>;
  fills: number;
  decisions: Record<string, number>;
  trades: Record<string, number>;
  activeKillSwitches: number;
  /** The latest state a trading day reported (ACTIVE, REDUCING, HALTED, …); null before any day. */
  tradingState: string | null;
  reconciliationClean: boolean;
  unresolvedMismatches: number;
  /** Today's (IST) trading-day P&L net of costs and its max drawdown, rupees; null before a summary. */
  pnlToday: number | null;
  drawdownToday: number | null;
  realizedPnl: number;
  /** Kite only: seconds until the access token expires (negative: expired); null without one. */
  brokerSessionExpiresIn: number | null;
  /** Kite only: the session needs a new login (expired, or Kite refused the token). */
  brokerSessionStale: boolean;
  auditEvents: Record<string, number>;
}

const SNAPSHOT_SQL = `
  SELECT
    (SELECT slug FROM tenants WHERE id = $1) AS tenant,
    (SELECT coalesce(jsonb_object_agg(status, n), '{}') FROM
       (SELECT status, count(*) AS n FROM orders WHERE tenant_id = $1 GROUP BY status) o) AS orders,
    (SELECT count(*) FROM fills WHERE tenant_id = $1)::int AS fills,
    (SELECT coalesce(jsonb_object_agg(status, n), '{}') FROM
       (SELECT status, count(*) AS n FROM decisions WHERE tenant_id = $1 GROUP BY status) d) AS decisions,
    (SELECT coalesce(jsonb_object_agg(status, n), '{}') FROM
       (SELECT status, count(*) AS n FROM trades WHERE tenant_id = $1 GROUP BY status) t) AS trades,
    (SELECT count(*) FROM kill_switches WHERE tenant_id = $1 AND active)::int AS kill_switches,
    (SELECT state FROM (
       (SELECT payload->>'state' AS state, created_at AS at FROM audit_log
         WHERE tenant_id = $1 AND event_type = 'trading_day.change' ORDER BY seq DESC LIMIT 1)
       UNION ALL
       (SELECT final_state, created_at FROM trading_days WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 1)
     ) s ORDER BY at DESC LIMIT 1) AS trading_state,
    coalesce((SELECT reconciliation_clean FROM tenant_trading_state WHERE tenant_id = $1), true) AS clean,
    coalesce((SELECT jsonb_array_length(unresolved) FROM tenant_trading_state WHERE tenant_id = $1), 0) AS unresolved,
    (SELECT pnl::float8 FROM trading_days WHERE tenant_id = $1
       AND trading_date = (now() AT TIME ZONE 'Asia/Kolkata')::date ORDER BY created_at DESC LIMIT 1) AS pnl_today,
    (SELECT max_drawdown::float8 FROM trading_days WHERE tenant_id = $1
       AND trading_date = (now() AT TIME ZONE 'Asia/Kolkata')::date ORDER BY created_at DESC LIMIT 1) AS dd_today,
    (SELECT coalesce(sum(realized_pnl), 0)::float8 FROM positions WHERE tenant_id = $1) AS realized,
    (SELECT jsonb_build_object('status', session_status, 'issued', token_created_at) FROM broker_accounts
      WHERE tenant_id = $1 AND broker = 'kite') AS kite,
    (SELECT coalesce(jsonb_object_agg(action, n), '{}') FROM
       (SELECT split_part(event_type, '.', 1) AS action, count(*) AS n FROM audit_log
         WHERE tenant_id = $1 GROUP BY 1) a) AS audit`;

interface SnapshotRow {
  tenant: string;
  orders: Record<string, string | number>;
  fills: number;
  decisions: Record<string, string | number>;
  trades: Record<string, string | number>;
  kill_switches: number;
  trading_state: string | null;
  clean: boolean;
  unresolved: number;
  pnl_today: number | null;
  dd_today: number | null;
  realized: number;
  kite: { status: string; issued: string | null } | null;
  audit: Record<string, string | number>;
}

const counts = (o: Record<string, string | number>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v)]));

/** Tenants are read `concurrency` at a time (each under its own RLS), in tenant id order. */
export async function tenantMetricsSnapshot(
  pool: Pool,
  now = new Date(),
  concurrency = 4,
): Promise<TenantMetricsSnapshot[]> {
  const ids = await activeTenantIds(pool);
  const out: TenantMetricsSnapshot[] = new Array(ids.length);
  let next = 0;
  const reader = async () => {
    for (let i = next++; i < ids.length; i = next++) {
      const r = await withTenant(pool, ids[i]!, async ({ client, tenantId }) => {
        return (await client.query<SnapshotRow>(SNAPSHOT_SQL, [tenantId])).rows[0]!;
      });
      out[i] = snapshotOf(r, now);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, reader));
  return out;
}

function snapshotOf(r: SnapshotRow, now: Date): TenantMetricsSnapshot {
  const expiry = r.kite?.issued ? kiteTokenExpiry(new Date(r.kite.issued)) : null;
  const expiresIn = expiry ? Math.round((expiry.getTime() - now.getTime()) / 1000) : null;
  return {
    tenant: r.tenant,
    orders: counts(r.orders),
    fills: r.fills,
    decisions: counts(r.decisions),
    trades: counts(r.trades),
    activeKillSwitches: r.kill_switches,
    tradingState: r.trading_state,
    reconciliationClean: r.clean,
    unresolvedMismatches: r.unresolved,
    pnlToday: r.pnl_today,
    drawdownToday: r.dd_today,
    realizedPnl: r.realized,
    brokerSessionExpiresIn: expiresIn,
    brokerSessionStale:
      r.kite !== null && (r.kite.status === 'relogin_required' || (expiresIn !== null && expiresIn <= 0)),
    auditEvents: counts(r.audit),
  };
}
