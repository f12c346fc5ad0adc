/** Orders, trades and positions: reads of the tenant's ledger under RLS. */
import type { Router } from 'express';
import { z } from 'zod';
import { withTenant } from '../../db/tenant';
import { recentOrders, recentTrades } from '../../db/ledger-report';
import { ledgerPositions } from '../../db/ledger';
import { TENANT_PREFIX, RouteTable } from '../route-table';
import { ANY_ROLE } from '../roles';
import type { TenantDeps } from './tenant';

export const limitQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export function ledgerRoutes(table: RouteTable, router: Router, deps: TenantDeps): void {
  const read = { method: 'get', tag: 'ledger', access: ANY_ROLE } as const;
  table.add(
    router,
    { ...read, path: `${TENANT_PREFIX}/orders`, summary: 'Latest orders, newest first', query: limitQuery },
    async ({ tenant, query }) => ({
      orders: await withTenant(deps.pool, tenant!.id, (tx) => recentOrders(tx, query.limit)),
    }),
  );
  table.add(
    router,
    { ...read, path: `${TENANT_PREFIX}/trades`, summary: 'Latest trades, newest first', query: limitQuery },
    async ({ tenant, query }) => ({
      trades: await withTenant(deps.pool, tenant!.id, (tx) => recentTrades(tx, query.limit)),
    }),
  );
  table.add(
    router,
    { ...read, path: `${TENANT_PREFIX}/positions`, summary: 'Net positions from the ledger' },
    async ({ tenant }) => ({ positions: await withTenant(deps.pool, tenant!.id, (tx) => ledgerPositions(tx)) }),
  );
}
