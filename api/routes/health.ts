/** GET /healthz (liveness), GET /readyz (dependencies), GET /metrics (Prometheus). */
import { Router } from 'express';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { checkReadiness } from '../readiness';
import type { Metrics } from '../metrics';

export function healthRoutes(deps: { pool: Pool; client: Client; namespace: string; metrics: Metrics }): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  r.get('/readyz', async (_req, res) => {
    const state = await checkReadiness(deps);
    for (const part of state.down) deps.metrics.readinessFailures.inc({ part });
    res.status(state.ok ? 200 : 503).json(state);
  });
  r.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return r;
}
