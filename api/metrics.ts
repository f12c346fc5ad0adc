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
  const postbacksRejected = new Counter({
    name: 'qs_postbacks_rejected_total',
    help: 'Broker postbacks refused, by reason (malformed_tenant, invalid_body, no_kite_account, checksum_mismatch)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const loginFailures = new Counter({
    name: 'qs_login_failures_total',
    help: 'Logins refused for wrong credentials',
    registers: [registry],
  });
  const loginThrottled = new Counter({
    name: 'qs_login_throttled_total',
    help: 'Logins refused with 429 while the account or client address was backing off',
    registers: [registry],
  });
  return { registry, httpDuration, readinessFailures, postbacksRejected, loginFailures, loginThrottled };
}

export type Metrics = ReturnType<typeof createMetrics>;
