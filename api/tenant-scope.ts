/**
 * /t/:slug/… → the tenant, with a short cache (a slug never changes owner; a suspension shows
 * within the TTL). A session reaches its own tenant; a platform session (tenant 0) reaches any
 * tenant with its role. Anything else is 404, as for a slug that does not exist: the answer
 * never tells whether another tenant exists.
 */
import type { NextFunction, Response } from 'express';
import type { Pool } from 'pg';
import { tenantBySlug, Tenant } from '../db/tenants';
import { PLATFORM_TENANT_ID } from '../db/schema/tenants';
import type { AuthedRequest } from './authentication';
import { ApiProblem } from './problem';

export const SLUG_CACHE_MS = 30_000;

export type TenantRequest = AuthedRequest & { tenant?: Tenant };

export function tenantOf(req: TenantRequest): Tenant {
  if (!req.tenant) throw new Error('route mounted without a tenant scope');
  return req.tenant;
}

export function createTenantResolver(pool: Pool, now = () => Date.now()) {
  const cache = new Map<string, { tenant: Tenant | undefined; at: number }>();
  return async (slug: string): Promise<Tenant | undefined> => {
    const hit = cache.get(slug);
    if (hit && now() - hit.at < SLUG_CACHE_MS) return hit.tenant;
    const tenant = await tenantBySlug(pool, slug);
    if (cache.size > 10_000) cache.clear(); // unknown slugs from a scanner must not grow it forever
    cache.set(slug, { tenant, at: now() });
    return tenant;
  };
}

export function tenantScope(resolve: (slug: string) => Promise<Tenant | undefined>) {
  return async (req: TenantRequest, _res: Response, next: NextFunction): Promise<void> => {
    const session = req.session;
    const tenant = await resolve(String(req.params.slug));
    const reachable =
      tenant !== undefined &&
      tenant.status === 'active' &&
      session !== undefined &&
      (session.tenantId === tenant.id || session.tenantId === PLATFORM_TENANT_ID);
    if (!reachable) throw new ApiProblem(404, 'not_found', 'no such tenant');
    req.tenant = tenant;
    next();
  };
}
