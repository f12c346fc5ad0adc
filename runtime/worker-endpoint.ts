/**
 * A worker process's own HTTP endpoint (QS_WORKER_METRICS_PORT) for container health checks and
 * Prometheus: GET /healthz answers 200 while the worker polls, 503 otherwise; GET /metrics is
 * the process's metrics and the business metrics (prom-client) followed by the Temporal SDK's, which Core serves on
 * 127.0.0.1:<port + 1> and this endpoint relays, so one scrape target holds both.
 */
import http from 'node:http';
import { Registry, collectDefaultMetrics, register } from 'prom-client';
import './business-metrics'; // every business metric exists before its first event

export const sdkMetricsAddress = (port: number) => `127.0.0.1:${port + 1}`;

export interface WorkerEndpoint {
  registry: Registry;
  close(): Promise<void>;
}

export async function startWorkerEndpoint(opts: {
  port: number;
  host?: string;
  /** Labels every process metric carries (the task queue), bounded by the queues in contracts/. */
  labels: Record<string, string>;
  healthy: () => boolean;
}): Promise<WorkerEndpoint> {
  const registry = new Registry();
  registry.setDefaultLabels(opts.labels);
  collectDefaultMetrics({ register: registry, prefix: 'qs_worker_' });
  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.url === '/healthz') {
        const ok = opts.healthy();
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ status: ok ? 'ok' : 'not polling' }));
      }
      if (req.url === '/metrics') {
        const own = `${await registry.metrics()}\n${await register.metrics()}`;
        const sdk = await fetch(`http://${sdkMetricsAddress(opts.port)}/metrics`, {
          signal: AbortSignal.timeout(2_000),
        }).then(
          (r) => (r.ok ? r.text() : ''),
          () => '', // Core's exporter not up yet: the process metrics alone
        );
        res.writeHead(200, { 'content-type': registry.contentType });
        return res.end(`${own}\n${sdk}`);
      }
      res.writeHead(404).end();
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  return { registry, close: () => new Promise((r) => server.close(() => r())) };
}
