/** The Express app: routes mounted on shared dependencies. Later issues add their routers here. */
import express, { NextFunction, Request, Response } from 'express';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import type { Logger } from '../runtime/logger';
import { healthRoutes } from './routes/health';
import { authRoutes } from './routes/auth';
import { postbackRoutes } from './routes/postbacks';
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
  app.use(express.json({ limit: '256kb' }));
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
  // Malformed JSON and anything thrown: a clear JSON error, never a stack trace.
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'bad_request', message: 'request body is not valid JSON' });
      return;
    }
    deps.log.error({ err }, 'unhandled API error');
    res.status(err.status ?? 500).json({ error: 'internal_error' });
  });
  return app;
}
