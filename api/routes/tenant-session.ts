/** The caller within a tenant: who they are here, and a CSRF token for cookie-authenticated writes. */
import type { Router } from 'express';
import { TENANT_PREFIX, RouteTable } from '../route-table';
import { ANY_ROLE } from '../roles';
import type { TenantDeps } from './tenant';

export function sessionRoutes(table: RouteTable, router: Router, deps: TenantDeps): void {
  table.add(
    router,
    {
      method: 'get',
      path: `${TENANT_PREFIX}/me`,
      summary: 'The caller and the tenant',
      tag: 'session',
      access: ANY_ROLE,
    },
    ({ session, tenant }) => ({
      user: { id: session!.userId, role: session!.role, platform: session!.tenantId !== tenant!.id },
      tenant: { id: tenant!.id, slug: tenant!.slug, name: tenant!.name, liveArmed: tenant!.liveArmed },
    }),
  );
  table.add(
    router,
    {
      method: 'get',
      path: `${TENANT_PREFIX}/csrf`,
      summary: 'A CSRF token (send it as X-CSRF-Token on writes authenticated by the qs_session cookie)',
      tag: 'session',
      access: ANY_ROLE,
    },
    ({ req, res }) => ({
      token: deps.issueCsrf(req, res, {
        overwrite: true,
        cookieOptions: { sameSite: 'strict', path: '/', secure: req.secure, httpOnly: true },
      }),
    }),
  );
}
