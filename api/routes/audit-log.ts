/** The audit log, paged newest first, with the verdict of recomputing the tenant's hash chain. */
import type { Router } from 'express';
import { z } from 'zod';
import { withTenant } from '../../db/tenant';
import { verifyAuditChain } from '../../db/audit';
import { auditPage } from '../../db/tenant-console';
import { TENANT_PREFIX, RouteTable } from '../route-table';
import { OPERATORS } from '../roles';
import type { TenantDeps } from './tenant';

const auditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The seq to page below (the last page's smallest seq). */
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});

export function auditRoutes(table: RouteTable, router: Router, deps: TenantDeps): void {
  table.add(
    router,
    {
      method: 'get',
      path: `${TENANT_PREFIX}/audit`,
      summary: "The audit log (paged by seq) and the chain's verification",
      tag: 'audit',
      access: OPERATORS,
      query: auditQuery,
    },
    async ({ tenant, query }) => {
      const rows = await withTenant(deps.pool, tenant!.id, (tx) => auditPage(tx, query));
      const chain = await verifyAuditChain(deps.pool, tenant!.id);
      const last = rows.at(-1);
      return { rows, chain, next: rows.length === query.limit && last ? last.seq : null };
    },
  );
}
