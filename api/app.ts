/** The Express app: routes mounted on shared dependencies. Later issues add their routers here. */
import express from 'express';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import type { Logger } from '../runtime/logger';
import { healthRoutes } from './routes/health';
import { authRoutes } from './routes/auth';
import { postbackRoutes } from './routes/postbacks';
import { errorHandler } from './errors';
import type { Metrics } from './metrics';

export interface ApiDeps {
  pool: Pool;
  client: Client;
  namespace: string;
  metrics: Metrics;
  log: Logger;
  sessionSecret: string;
}

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-For counts only from a proxy on this host or a private network (Caddy in the
  // compose stack), so req.ip is the real client for login throttling and cannot be forged
  // from the internet.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use((req, res, next) => {
    const end = deps.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => end({ route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });
  app.use(healthRoutes(deps));
  app.use(authRoutes(deps));
  app.use(postbackRoutes(deps));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  app.use(errorHandler(deps.log));
  return app;
}
