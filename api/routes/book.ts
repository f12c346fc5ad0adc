/**
 * The tenant's book and risk, read-only for every role: P&L by day (cumulative, drawdown) and for
 * one day (the realised curve from its fills, the running day's marked P&L, the summary once it is
 * over); positions priced with Black-76 on the market they live in (book-greeks.ts), with greeks and portfolio
 * totals; each risk wall's current outcome and last firing; the models decide serves the tenant.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { dayFills, dayPnlRows, wallStates } from '../../db/tenant-book';
import { killSwitchList } from '../../db/tenant-console';
import { servedModels } from '../../db/models';
import { bookPositions, tradingDay } from '../../db/trading-days';
import { withTenant } from '../../db/tenant';
import { dec, rupees } from '../../domain/money';
import { tradingDayWorkflowId } from '../../contracts/trading-day';
import { ModelRegistry } from '../../ml/registry';
import { TENANT_PREFIX, RouteTable } from '../route-table';
import { ANY_ROLE } from '../roles';
import { bookMarkets, priceBook } from '../book-greeks';
import { maxDrawdown, realisedCurve } from '../pnl-curve';
import { liveDayStatus, tradingDate } from './trading-day';
import type { TenantDeps } from './tenant';

const rangeQuery = z
  .strictObject({ from: tradingDate.optional(), to: tradingDate.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from is after to', path: ['from'] });

export function bookRoutes(table: RouteTable, router: Router, deps: TenantDeps): void {
  const read = { method: 'get', tag: 'book', access: ANY_ROLE } as const;
  const registry = new ModelRegistry(deps.pool);

  table.add(
    router,
    {
      ...read,
      path: `${TENANT_PREFIX}/pnl`,
      summary: 'P&L by trading day (net of costs), cumulative, and the drawdown of the cumulative curve',
      query: rangeQuery,
    },
    async ({ tenant, query }) => {
      const rows = await withTenant(deps.pool, tenant!.id, (tx) => dayPnlRows(tx, query.from, query.to));
      let cumulative = dec(0);
      const days = rows.map((r) => ({ ...r, cumulative: rupees((cumulative = cumulative.plus(r.pnl))) }));
      return { days, total: rupees(cumulative), maxDrawdown: maxDrawdown(days.map((d) => d.cumulative)) };
    },
  );

  table.add(
    router,
    {
      ...read,
      path: `${TENANT_PREFIX}/pnl/:date`,
      summary:
        "One day's P&L: the realised curve from its fills and its drawdown, the running day's marked P&L, " +
        'the summary once the day is over',
      params: z.strictObject({ date: tradingDate }),
    },
    async ({ tenant, params }) => {
      const [fills, summary] = await withTenant(deps.pool, tenant!.id, async (tx) => [
        await dayFills(tx, params.date),
        await tradingDay(tx, params.date),
      ]);
      const live = summary ? null : await liveDayStatus(deps.client, tradingDayWorkflowId(tenant!.id, params.date));
      const curve = realisedCurve(fills);
      return {
        date: params.date,
        realised: { curve, maxDrawdown: maxDrawdown(curve.map((p) => p.pnl)) },
        live: live && { pnl: live.pnl, state: live.state, phase: live.phase, positions: live.positions },
        summary: summary
          ? { status: summary.status, pnl: summary.pnl, costs: summary.costs, maxDrawdown: summary.maxDrawdown }
          : null,
      };
    },
  );

  table.add(
    router,
    {
      ...read,
      path: `${TENANT_PREFIX}/positions/greeks`,
      summary:
        "Open positions priced with Black-76 on the market they live in (a paper tenant's paper exchange, else " +
        'the latest stored snapshot): greeks and portfolio totals',
    },
    async ({ tenant }) =>
      withTenant(deps.pool, tenant!.id, async (tx) => {
        const book = (await bookPositions(tx)).filter((p) => p.quantity !== 0);
        return priceBook(book, await bookMarkets(tx, book));
      }),
  );

  table.add(
    router,
    {
      ...read,
      path: `${TENANT_PREFIX}/risk-walls`,
      summary: "Each risk wall's outcome in the latest decision and its last firing; the kill switches",
    },
    async ({ tenant }) =>
      withTenant(deps.pool, tenant!.id, async (tx) => ({
        walls: await wallStates(tx),
        killSwitches: await killSwitchList(tx),
      })),
  );

  table.add(
    router,
    {
      ...read,
      path: `${TENANT_PREFIX}/serving-models`,
      summary: 'The production version of each model type for this tenant, and how many workers serve each version',
    },
    async ({ tenant }) => {
      const production = await registry.list(tenant!.id);
      const scopes = new Set(['global', String(tenant!.id)]);
      const served = new Map<
        string,
        { typeId: string; scope: string; version: number; sha256: string; workers: number }
      >();
      for (const m of await servedModels(deps.pool)) {
        if (!scopes.has(m.scope)) continue;
        const key = `${m.typeId}|${m.scope}|${m.version}`;
        const e = served.get(key) ?? {
          typeId: m.typeId,
          scope: m.scope,
          version: m.version,
          sha256: m.sha256,
          workers: 0,
        };
        e.workers++;
        served.set(key, e);
      }
      return { production, served: [...served.values()] };
    },
  );
}
