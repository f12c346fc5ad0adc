/**
 * GET /api/v1/tenants: the platform's operators see every tenant at a glance — its broker and live
 * arming, its trading day on a date (the running TradingDay's query, else the day's summary row, as
 * GET …/trading-day reads it), its active kill switches and the day's P&L. Only sessions of the
 * platform tenant reach it: any other session gets the same 404 as a route that does not exist.
 */
import type { Router } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { z } from 'zod';
import { tradingDayWorkflowId } from '../../contracts/trading-day';
import { brokerNameOf } from '../../db/broker-accounts';
import { PLATFORM_TENANT_ID } from '../../db/schema/tenants';
import { withTenant } from '../../db/tenant';
import { killSwitchList } from '../../db/tenant-console';
import { listTenants, type Tenant } from '../../db/tenants';
import { tradingDay } from '../../db/trading-days';
import { istParts } from '../../domain/dates';
import { workflowHandle } from '../../runtime/workflow-client';
import type { RouteTable } from '../route-table';
import { OPERATORS } from '../roles';
import { ApiProblem } from '../problem';
import { liveDayStatus, tradingDate } from './trading-day';
import type { TenantView } from '../../contracts/platform';
import type { ApiDeps } from '../app';

/** Tenants read at once: each is a transaction and, while its day runs, a query to its TradingDay. */
const CONCURRENCY = 4;

async function tenantView(deps: { pool: Pool; client: Client }, t: Tenant, date: string): Promise<TenantView> {
  const { broker, summary, switches } = await withTenant(deps.pool, t.id, async (tx) => ({
    broker: await brokerNameOf(tx),
    summary: await tradingDay(tx, date),
    switches: await killSwitchList(tx),
  }));
  let day: TenantView['day'];
  if (summary)
    day = {
      date,
      running: false,
      state: summary.finalState,
      paused: false,
      phase: null,
      decisions: summary.decisions,
      trades: summary.trades,
      pnl: summary.pnl,
    };
  else day = await runningDay(deps.client, tradingDayWorkflowId(t.id, date), date);
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    status: t.status,
    broker,
    liveArmed: t.liveArmed,
    day,
    activeKillSwitches: switches.filter((k) => k.active).length,
    dashboard: t.status === 'active' ? `/t/${t.slug}/` : null,
  };
}

/**
 * A day without a summary: none (never started), closed without one (terminated, failed: its status),
 * or running (its query; `unavailable` when no trading worker answers in time). Described first, so
 * a closed workflow is not queried (without a worker the query would wait for the deadline).
 */
async function runningDay(client: Client, workflowId: string, date: string): Promise<TenantView['day']> {
  const described = await workflowHandle(client, 'tradingDay', workflowId)
    .describe()
    .catch((e: unknown) => {
      if (e instanceof WorkflowNotFoundError) return null;
      throw e;
    });
  if (!described) return null;
  const closed = { date, running: false, paused: false, phase: null, decisions: null, trades: null, pnl: null };
  if (described.status.name !== 'RUNNING') return { ...closed, state: described.status.name };
  const live = await liveDayStatus(client, workflowId).catch((e: unknown) => {
    if (e instanceof ApiProblem && e.status === 503) return 'unavailable' as const;
    throw e;
  });
  if (live === 'unavailable') return live;
  if (live === null) return null;
  return {
    date,
    running: true,
    state: live.state,
    paused: live.paused,
    phase: live.phase,
    decisions: live.decisions,
    trades: live.trades,
    pnl: live.pnl,
  };
}

export function platformRoutes(table: RouteTable, router: Router, deps: ApiDeps): void {
  table.add(
    router,
    {
      method: 'get',
      path: '/api/v1/tenants',
      summary:
        "Every tenant (platform operators and admins only): broker, live arming, the trading day's state and " +
        'P&L on a date (default today, IST), active kill switches',
      tag: 'platform',
      access: OPERATORS,
      query: z.strictObject({ date: tradingDate.optional() }),
    },
    async ({ session, query }) => {
      if (session!.tenantId !== PLATFORM_TENANT_ID) throw new ApiProblem(404, 'not_found', 'no such route');
      const date = query.date ?? istParts(Date.now()).date;
      const tenants = await listTenants(deps.pool);
      const out: TenantView[] = new Array(tenants.length);
      let next = 0;
      const reader = async () => {
        for (let i = next++; i < tenants.length; i = next++) out[i] = await tenantView(deps, tenants[i]!, date);
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tenants.length) }, reader));
      return { date, tenants: out };
    },
  );
}
