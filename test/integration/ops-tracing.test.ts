/**
 * Tracing end to end: the API (its request handler wrapped in a server span, a Temporal client
 * with the OpenTelemetry interceptor) starts a Reconciliation; a worker with the tracing
 * interceptors (workflow code bundled with them) runs it; every span goes over OTLP/HTTP to a
 * local receiver. One trace must link the API request → StartWorkflow → RunWorkflow → RunActivity.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../../api/app';
import { createMetrics } from '../../api/metrics';
import { issueSession } from '../../api/session';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { createUser } from '../../db/tenants';
import { startTracing, tracedRequests, tracingClientInterceptors, type Tracing } from '../../runtime/tracing';
import { brokerActivities, tradingActivities } from '../../workers/activities';
import { workerInterceptors, workerSinks } from '../../workers/interceptors';
import { testEnv, testPool, testWorker } from '../support/env';
import { paperTenant } from '../support/orders-env';
import { until } from '../support/until';

jest.setTimeout(120_000);

const SECRET = 'o'.repeat(40);
const pool = testPool('app');

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

/** A local OTLP/HTTP receiver: POST /v1/traces with the JSON encoding, answered as a collector does. */
function otlpReceiver() {
  const spans: Array<OtlpSpan & { service: string }> = [];
  const contentTypes = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') return void res.writeHead(404).end();
      contentTypes.add(String(req.headers['content-type']));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: Array<{
          resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
          scopeSpans: Array<{ spans: OtlpSpan[] }>;
        }>;
      };
      for (const rs of body.resourceSpans) {
        const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ ...s, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { server, spans, contentTypes };
}

describe('OpenTelemetry tracing', () => {
  const receiver = otlpReceiver();
  let tracing: Tracing;
  let api: http.Server;
  let apiUrl: string;
  let connection: Connection;

  beforeAll(async () => {
    await new Promise<void>((r) => receiver.server.listen(0, '127.0.0.1', r));
    tracing = startTracing('qs-test', `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`);
    connection = await Connection.connect({ address: testEnv().temporalAddress });
    const client = new Client({
      connection,
      namespace: testEnv().namespace,
      interceptors: tracingClientInterceptors(tracing),
    });
    const app = createApp({
      pool,
      client,
      namespace: testEnv().namespace,
      metrics: createMetrics(),
      log: pino({ level: 'silent' }),
      sessionSecret: SECRET,
    });
    api = http.createServer(tracedRequests(app));
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    // Unregisters the global provider, so no other test file in this process traces.
    await tracing?.shutdown();
    api?.closeAllConnections();
    await new Promise((r) => api?.close(r));
    await connection?.close();
    receiver.server.closeAllConnections();
    await new Promise((r) => receiver.server.close(r));
  });

  it('links the API request, the workflow and its activities in one trace', async () => {
    const tenantId = await paperTenant(pool);
    const slug = (await pool.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [tenantId])).rows[0]!
      .slug;
    const user = await createUser(pool, tenantId, {
      email: 'ops@trace.test',
      role: 'operator',
      password: 'x'.repeat(16),
    });
    const bearer = issueSession(SECRET, { userId: user.id, tenantId, role: 'operator' });

    // Workflow code bundled with the tracing interceptors (a pre-built bundle would lack them).
    const trading = await Worker.create({
      connection: await NativeConnection.connect({ address: testEnv().temporalAddress }),
      namespace: testEnv().namespace,
      taskQueue: TASK_QUEUES.trading,
      workflowsPath: require.resolve('../../workflows'),
      activities: tradingActivities({ pool, workerId: 'ops-tracing' }),
      interceptors: workerInterceptors(tracing),
      sinks: workerSinks(tracing),
      shutdownGraceTime: '2 seconds',
    });
    const broker = await testWorker({
      taskQueue: TASK_QUEUES.broker,
      activities: brokerActivities({ pool, workerId: 'ops-tracing-broker', liveTrading: false }),
      // Activity-only: the shared bundle carries no workflow interceptors.
      interceptors: { activity: workerInterceptors(tracing).activity },
    });
    await trading.runUntil(
      broker.runUntil(async () => {
        const res = await fetch(`${apiUrl}/t/${slug}/api/v1/reconciliations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}` },
        });
        expect(res.status).toBe(202);
        const { workflowId } = (await res.json()) as { workflowId: string };
        await new Client({ connection, namespace: testEnv().namespace }).workflow.getHandle(workflowId).result();
      }),
    );
    await tracing.spanProcessor.forceFlush();

    const request = await until('the request span', async () =>
      receiver.spans.find((s) => s.name === `POST /t/${slug}/api/v1/reconciliations`),
    );
    const trace = await until('the workflow and activity spans', async () => {
      const inTrace = receiver.spans.filter((s) => s.traceId === request.traceId);
      const names = new Set(inTrace.map((s) => s.name));
      return names.has('RunWorkflow:reconciliation') && [...names].some((n) => n.startsWith('RunActivity:'))
        ? inTrace
        : undefined;
    });
    const byName = (name: string) => trace.find((s) => s.name === name)!;
    // The chain: request → StartWorkflow (client) → RunWorkflow (workflow) → RunActivity (worker).
    const start = byName('StartWorkflow:reconciliation');
    expect(start.parentSpanId).toBe(request.spanId);
    const run = byName('RunWorkflow:reconciliation');
    expect(run.parentSpanId).toBe(start.spanId);
    const activities = trace.filter((s) => s.name.startsWith('RunActivity:'));
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    for (const a of activities) {
      // Each activity's ancestry reaches the workflow span (through its StartActivity span).
      let p = byId.get(a.parentSpanId ?? '');
      while (p && p !== run) p = byId.get(p.parentSpanId ?? '');
      expect(p).toBe(run);
    }
    expect(receiver.contentTypes).toEqual(new Set(['application/json']));
  });
});
