/**
 * The Express app: helmet's headers, then every route from one route table (api/route-table.ts),
 * which also makes the OpenAPI document; errors end as application/problem+json.
 */
import path from 'node:path';
import express, { Router } from 'express';
import helmet from 'helmet';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import type { Logger } from '../runtime/logger';
import { healthRoutes } from './routes/health';
import { authRoutes } from './routes/auth';
import { postbackRoutes } from './routes/postbacks';
import { tenantRoutes } from './routes/tenant';
import { platformRoutes } from './routes/tenants';
import { errorHandler } from './errors';
import type { Metrics } from './metrics';
import { RouteTable } from './route-table';
import { createTenantResolver } from './tenant-scope';
import { createCsrf } from './authentication';
import { cookies } from './cookies';
import { openApiDocument } from './openapi';
import { ApiProblem } from './problem';
import type { ModelSource } from '../activities/decide';
import type { KeyProvider } from '../db/secret-box';

const DASHBOARD_DIR = path.join(__dirname, '..', 'web', 'dist', 'app');

export interface ApiDeps {
  pool: Pool;
  client: Client;
  namespace: string;
  metrics: Metrics;
  log: Logger;
  sessionSecret: string;
  /** The models decide serves (the server's hot-swapping ModelCache); default: straight from the registry. */
  models?: ModelSource;
  /** The Temporal Web UI's base URL, for links to workflows; absent when unknown. */
  temporalUiUrl?: string;
  /** QS_SECRETS_KEY: seals broker secrets (Kite setup and session); absent, those routes answer 503. */
  secretsKeys?: KeyProvider;
  /** Disconnects a logged-out session's Socket.IO connections on every node (the server's io). */
  endSessionSockets?: (tokenDigest: string) => void;
}

export interface AppWithRoutes extends express.Express {
  /** The declared routes (the OpenAPI document's source). */
  routeTable: RouteTable;
}

export function createApp(deps: ApiDeps): AppWithRoutes {
  const app = express() as AppWithRoutes;
  app.disable('x-powered-by');
  // X-Forwarded-For counts only from a proxy on this host or a private network (Caddy in the
  // compose stack), so req.ip is the real client for login throttling and cannot be forged
  // from the internet.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(helmet());
  app.use(cookies);
  app.use((req, res, next) => {
    const end = deps.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => end({ route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });
  const csrf = createCsrf(deps.sessionSecret);
  const table = new RouteTable({
    pool: deps.pool,
    sessionSecret: deps.sessionSecret,
    resolveTenant: createTenantResolver(deps.pool),
    csrf: csrf.protect,
  });
  const router = Router();
  healthRoutes(table, router, deps);
  authRoutes(table, router, deps);
  postbackRoutes(table, router, deps);
  tenantRoutes(table, router, { ...deps, issueCsrf: csrf.issue });
  platformRoutes(table, router, deps);
  let document: unknown;
  table.add(
    router,
    {
      method: 'get',
      path: '/api/v1/openapi.json',
      summary: 'This document',
      tag: 'meta',
      access: 'public',
      rateLimit: 'none',
    },
    () => (document ??= openApiDocument(table)),
  );
  app.use(router);
  // The dashboard (web/, built by `npm run build` and `npm start`): hashed assets under /app/, the
  // page at / and /t/<slug>/; what it shows is whatever the API lets the session see.
  app.use('/app', express.static(DASHBOARD_DIR, { index: false, immutable: true, maxAge: '1y' }));
  app.get(['/', '/t/:slug/'], (_req, res, next) =>
    res.sendFile('index.html', { root: DASHBOARD_DIR, headers: { 'cache-control': 'no-cache' } }, (err) =>
      err ? next(new ApiProblem(404, 'not_found', 'the dashboard is not built: run npm run build')) : undefined,
    ),
  );
  app.routeTable = table;
  app.use((_req, _res, next) => next(new ApiProblem(404, 'not_found', 'no such route')));
  app.use(errorHandler(deps.log));
  return app;
}
