/** Prometheus metrics for the API process (prom-client); later issues register more. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'qs_' });
  const httpDuration = new Histogram({
    name: 'qs_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const readinessFailures = new Counter({
    name: 'qs_readiness_failures_total',
    help: 'Readiness checks that found a part down, by part',
    labelNames: ['part'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, readinessFailures };
}

export type Metrics = ReturnType<typeof createMetrics>;
