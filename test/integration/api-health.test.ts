/** /healthz, /readyz and /metrics over real HTTP against the run's Temporal and Postgres. */
import { loadConfig } from '../../runtime/config';
import { startApiServer, ApiServer } from '../../api/server';
import { freshNamespace, testClient, testEnv, testWorker } from '../support/env';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { createWorkerIdentityActivities } from '../../activities/worker-identity';

describe('API health endpoints', () => {
  let api: ApiServer;
  let namespace: string;
  beforeAll(async () => {
    const env = testEnv();
    // Its own namespace: task queues there have never had a poller.
    namespace = await freshNamespace(await testClient(), 'health');
    const config = loadConfig({
      QS_API_PORT: '1',
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      QS_LOG_LEVEL: 'silent',
      QS_SESSION_SECRET: 's'.repeat(32),
    });
    api = await startApiServer({ ...config, api: { host: '127.0.0.1', port: 0 } }, env.appUrl);
  });
  afterAll(() => api.close());

  it('answers liveness and Prometheus metrics', async () => {
    expect(await (await fetch(`${api.url}/healthz`)).json()).toEqual({ ok: true });
    const metrics = await fetch(`${api.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/^# TYPE qs_http_request_duration_seconds histogram$/m);
    expect(text).toMatch(/^qs_process_cpu_user_seconds_total \d/m);
  });

  it('is not ready while task queues have no pollers, and says which', async () => {
    const res = await fetch(`${api.url}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as {
      ok: boolean;
      database: { ok: boolean };
      temporal: { ok: boolean };
      down: string[];
    };
    expect(body.database.ok).toBe(true);
    expect(body.temporal.ok).toBe(true);
    expect(body.down.sort()).toEqual(['taskQueue:broker', 'taskQueue:ml', 'taskQueue:personas', 'taskQueue:trading']);
  });

  it('is ready once every task queue has a live poller', async () => {
    const workers = await Promise.all(
      Object.values(TASK_QUEUES).map((taskQueue) =>
        testWorker({
          namespace,
          taskQueue,
          activities: createWorkerIdentityActivities({ workerId: `w-${taskQueue}` }),
        }),
      ),
    );
    const poll = async () => {
      for (let i = 0; i < 50; i++) {
        const res = await fetch(`${api.url}/readyz`);
        if (res.status === 200) return res.json();
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('never became ready');
    };
    const runAll = (i: number, fn: () => Promise<unknown>): Promise<unknown> =>
      i === workers.length ? fn() : workers[i].runUntil(runAll(i + 1, fn));
    const body = (await runAll(0, poll)) as {
      ok: boolean;
      down: string[];
      taskQueues: Record<string, { pollers: number }>;
    };
    expect(body.ok).toBe(true);
    expect(body.down).toEqual([]);
    for (const q of Object.values(TASK_QUEUES)) expect(body.taskQueues[q].pollers).toBeGreaterThan(0);
  });

  it('names the database when it is down', async () => {
    const env = testEnv();
    const config = loadConfig({
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_NAMESPACE: env.namespace,
      QS_LOG_LEVEL: 'silent',
      QS_SESSION_SECRET: 's'.repeat(32),
    });
    const broken = await startApiServer(
      { ...config, api: { host: '127.0.0.1', port: 0 } },
      'postgres://qs_app:x@127.0.0.1:1/nothing',
    );
    try {
      const res = await fetch(`${broken.url}/readyz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { down: string[] }).down).toContain('database');
    } finally {
      await broken.close();
    }
  });
});
