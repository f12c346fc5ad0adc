/** GET /healthz (liveness), GET /readyz (dependencies), GET /metrics (Prometheus). */
import type { Router } from 'express';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { checkReadiness } from '../readiness';
import type { Metrics } from '../metrics';
import type { RouteTable } from '../route-table';

export function healthRoutes(
  table: RouteTable,
  router: Router,
  deps: { pool: Pool; client: Client; namespace: string; metrics: Metrics },
): void {
  // Probes are never rate-limited: an orchestrator polling them must not be told 429.
  const common = { method: 'get', tag: 'health', access: 'public', rateLimit: 'none' } as const;
  table.add(router, { ...common, path: '/healthz', summary: 'Liveness' }, () => ({ ok: true }));
  table.add(
    router,
    { ...common, path: '/readyz', summary: 'Database, Temporal and task-queue pollers', errors: [503] },
    async ({ res }) => {
      const state = await checkReadiness(deps);
      for (const part of state.down) deps.metrics.readinessFailures.inc({ part });
      res.status(state.ok ? 200 : 503).json(state);
    },
  );
  table.add(router, { ...common, path: '/metrics', summary: 'Prometheus metrics' }, async ({ res }) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
