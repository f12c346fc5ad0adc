/** Every route under /t/:slug/api/v1: one file per surface. */
import type { Router } from 'express';
import type { RouteTable } from '../route-table';
import type { ApiDeps } from '../app';
import type { CsrfIssuer } from '../authentication';
import { sessionRoutes } from './tenant-session';
import { ledgerRoutes } from './ledger';
import { controlRoutes } from './controls';
import { auditRoutes } from './audit-log';
import { liveArmingRoutes } from './live-arming';
import { userRoutes } from './users';
import { modelRoutes } from './models';
import { decisionRoutes } from './decisions';
import { tradingDayRoutes } from './trading-day';
import { bookRoutes } from './book';
import { personaRunRoutes } from './persona-runs';
import { brokerAccountRoutes } from './broker-account';

export type TenantDeps = ApiDeps & { issueCsrf: CsrfIssuer };

export function tenantRoutes(table: RouteTable, router: Router, deps: TenantDeps): void {
  sessionRoutes(table, router, deps);
  ledgerRoutes(table, router, deps);
  controlRoutes(table, router, deps);
  auditRoutes(table, router, deps);
  liveArmingRoutes(table, router, deps);
  userRoutes(table, router, deps);
  modelRoutes(table, router, deps);
  decisionRoutes(table, router, deps);
  tradingDayRoutes(table, router, deps);
  bookRoutes(table, router, deps);
  personaRunRoutes(table, router, deps);
  brokerAccountRoutes(table, router, deps);
}
