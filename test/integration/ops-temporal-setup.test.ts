/**
 * An external Temporal that nobody prepared (a second dev server started bare: no quantsentinel
 * namespace, no search attributes): workers and `qs stack up` stop with one line naming
 * `qs temporal setup`; setup creates both, idempotently; then a worker boots.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { freePort } from '../../runtime/ports';
import { startTemporalDevServer, DevServer } from '../../runtime/temporal-dev-server';
import { SEARCH_ATTRIBUTES } from '../../contracts/search-attributes';
import { runQs } from '../support/run-qs';
import { testEnv, testPool } from '../support/env';
import { createMetrics } from '../../api/metrics';

const RUN_TS = path.join(__dirname, '..', '..', 'bin', 'run-ts.js');
const DASHBOARD = path.join(__dirname, '..', '..', 'deploy', 'grafana', 'dashboards', 'quantsentinel.json');
const ALERTS = path.join(__dirname, '..', '..', 'deploy', 'prometheus', 'alerts.yml');
/** Temporal SDK counters that Core registers at their first event (a failed workflow). */
const BORN_ON_FIRST_EVENT = new Set(['temporal_workflow_failed']);
const IVT = temporal.api.enums.v1.IndexedValueType;
const NAMES = Object.keys(SEARCH_ATTRIBUTES).join(', ');
jest.setTimeout(180_000);

let bare: DevServer;
let connection: Connection;
const env = () => ({
  TEMPORAL_ADDRESS: bare.address,
  TEMPORAL_NAMESPACE: 'quantsentinel',
  DATABASE_URL: testEnv().adminUrl,
  QS_APP_DATABASE_URL: testEnv().appUrl,
  QS_WORKFLOW_BUNDLE: testEnv().bundlePath,
  QS_DATA_DIR: path.join(testEnv().tmp, 'ops-temporal-setup'),
});

beforeAll(async () => {
  bare = await startTemporalDevServer({
    cliPath: process.env.QS_TEST_TEMPORAL_CLI!,
    port: await freePort(),
    namespace: 'quantsentinel',
    bare: true,
    headless: true,
    detached: false,
  });
  connection = await Connection.connect({ address: bare.address });
});
afterAll(async () => {
  await connection?.close();
  await bare?.stop();
});

/** A trading worker process against the bare server; resolves on exit or on `until` in its output. */
function runWorker(
  extra: NodeJS.ProcessEnv,
  until?: RegExp,
): Promise<{ code: number | null; out: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [RUN_TS, 'workers/trading.ts'], {
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, ...env(), QS_LOG_LEVEL: 'info', ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (void stop(), reject(new Error(`worker did not finish:\n${out}`))), 120_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!until?.test(out)) return;
      clearTimeout(timer);
      resolve({ code: null, out, stop });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => (clearTimeout(timer), resolve({ code, out, stop })));
  });
}

describe('an external Temporal without our namespace', () => {
  it('a worker stops with one line naming the fix (exit 78, no crash loop)', async () => {
    const r = await runWorker({});
    expect(r.code).toBe(78);
    expect(r.out).toContain(
      `worker trading: Temporal namespace quantsentinel does not exist at ${bare.address}: ` +
        `run \`npx qs temporal setup\` (TEMPORAL_ADDRESS=${bare.address}) once to create it`,
    );
    expect(r.out).not.toMatch(/\n\s+at /);
  });

  it('`qs stack up` stops before starting anything, naming the fix', async () => {
    const r = await runQs(['stack', 'up'], { ...env(), QS_API_PORT: String(await freePort()) });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `qs: Temporal namespace quantsentinel does not exist at ${bare.address}: ` +
        `run \`npx qs temporal setup\` (TEMPORAL_ADDRESS=${bare.address}) once to create it`,
    );
    expect(fs.existsSync(path.join(env().QS_DATA_DIR, 'postgres'))).toBe(false);
  });

  it('`qs temporal setup` creates the namespace and the search attributes, idempotently', async () => {
    const first = await runQs(['temporal', 'setup', '--retention', '3'], env());
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created namespace quantsentinel (retention 3 days)');
    expect(first.stdout).toContain(
      `registered search attributes ${Object.entries(SEARCH_ATTRIBUTES)
        .map(([n, t]) => `${n}=${t}`)
        .join(', ')}`,
    );

    const ns = await connection.workflowService.describeNamespace({ namespace: 'quantsentinel' });
    expect(Number(ns.config!.workflowExecutionRetentionTtl!.seconds)).toBe(3 * 86_400);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'quantsentinel' });
    expect(customAttributes).toMatchObject({
      TenantId: IVT.INDEXED_VALUE_TYPE_KEYWORD,
      TradingDate: IVT.INDEXED_VALUE_TYPE_KEYWORD,
      ModelType: IVT.INDEXED_VALUE_TYPE_KEYWORD,
      OrderTag: IVT.INDEXED_VALUE_TYPE_KEYWORD_LIST,
    });

    const again = await runQs(['temporal', 'setup'], env());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('namespace quantsentinel exists');
    expect(again.stdout).toContain(`search attributes ${NAMES} are registered`);
    expect(again.stdout).not.toContain('created');
  });

  it('a worker then boots and polls; its endpoint answers /healthz and /metrics (own + Temporal SDK)', async () => {
    const port = await freePort();
    const r = await runWorker({ QS_WORKER_METRICS_PORT: String(port) }, /worker started/);
    try {
      expect(r.code).toBeNull();
      expect(r.out).toContain('"namespace":"quantsentinel"');
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      let metrics = '';
      for (let i = 0; i < 40 && !/\ntemporal_/.test(metrics); i++) {
        metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        await new Promise((res) => setTimeout(res, 250));
      }
      expect(metrics).toMatch(/^qs_worker_process_cpu_seconds_total\{task_queue="trading"\} /m);
      expect(metrics).toMatch(/^temporal_\w+/m); // Core's Prometheus exporter, relayed
      // Every metric a dashboard panel or an alert queries is exposed (the TYPE line exists before
      // the first event) by this worker or, for the ledger gauges read from Postgres, by the API;
      // except Prometheus's own `up` and SDK counters Core creates on first event.
      const api = await createMetrics({ pool: testPool('app') }).registry.metrics();
      const queried = new Set(
        [DASHBOARD, ALERTS]
          .map((f) => fs.readFileSync(f, 'utf8'))
          .flatMap((text) => [...text.matchAll(/\b((?:qs|temporal)_[a-z_]+)\b/g)].map((m) => m[1]))
          .map((name) => name.replace(/_(bucket|sum|count)$/, '')),
      );
      expect(queried.size).toBeGreaterThan(15);
      const missing = [...queried].filter(
        (n) => !BORN_ON_FIRST_EVENT.has(n) && !metrics.includes(`# TYPE ${n} `) && !api.includes(`# TYPE ${n} `),
      );
      expect(missing).toEqual([]);
    } finally {
      await r.stop();
    }
  });

  it('a namespace without the attributes: the worker names them; --cloud prints the tcld commands', async () => {
    await connection.workflowService.registerNamespace({
      namespace: 'partial',
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    const r = await runWorker({ TEMPORAL_NAMESPACE: 'partial' });
    expect(r.code).toBe(78);
    expect(r.out).toContain(`Temporal namespace partial lacks the search attributes ${NAMES}: run`);

    const cloud = await runQs(['temporal', 'setup', '--cloud'], { ...env(), TEMPORAL_NAMESPACE: 'partial' });
    expect(cloud.code).toBe(1);
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES))
      expect(cloud.stdout).toContain(
        `tcld namespace search-attributes add --namespace partial --search-attribute "${name}=${type}"`,
      );
    // Check only: nothing was registered.
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'partial' });
    expect(customAttributes?.TenantId).toBeUndefined();
  });
});
