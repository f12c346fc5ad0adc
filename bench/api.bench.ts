/**
 * `npm run bench:api`: the API under load on its own throwaway Postgres and Temporal.
 *
 *   decide   POST /t/<slug>/api/v1/decisions through real HTTP at a steady --rate (default 100/s)
 *            for --seconds (default 30), each a new idempotency key (a whole decide: tenant state,
 *            models, castle, one decisions row + its outbox event); latency from send to answer.
 *            Baseline in the same run: the same decide in process (createDecider on its own model
 *            cache), at the same pace for a third of the time. The requests are spread over 10
 *            tenants and 10 client addresses (X-Forwarded-For from loopback), so the seed's
 *            600/h decide limit per tenant and 1,200/min per client hold without 429s. Before
 *            both, --sequential (200) calls one at a time each way: the cost with no queue; then
 *            --warm-seconds (3) of each paced run, not measured (the one-off costs of a new pace).
 *   fan-out  --clients (1,000) socket.io clients in --rooms (100) tenants, each subscribed to its
 *            tenant's `pnl` channel; --events (300) events published one tenant at a time
 *            (outbox row + NOTIFY in one transaction); latency from just before the commit to each
 *            client's receipt. Baseline: the same publish to a bare LISTEN connection.
 *
 * Goals (issue 13): decide p99 < 30 ms through HTTP, fan-out p99 < 50 ms. The API node runs in a
 * process of its own (bench/api-node.ts), as in production; the load generator and the socket.io
 * clients run in this one. All share the machine's cores, so the figures include that contention.
 * --api-nodes N (default 1) starts N API nodes and sends request i (and fan-out client i) to node
 * i mod N, as a round-robin load balancer would: the nodes share Postgres, the rate limits and the
 * tenant rooms, and each prints where its own time went.
 *
 * Under each paced run it prints where the time went (bench/api-probes.ts): Postgres round trips by
 * statement, pool waits, event-loop delay, GC pauses and the process's CPU per request.
 * It prints CPU per request by process (Postgres, Temporal, the load generator); --statements adds
 * Postgres's statements by CPU (pg_stat_statements: planning and execution per call).
 * --no-fanout stops after decide; --cpu-profile f / --heap-profile f write V8's CPU / allocation
 * profile of the HTTP run; --api-node-flags "…" starts the API node with those Node/V8 flags (e.g.
 * "--trace-gc-nvp": each collection's allocation and promotion); --slow-trace f writes each request the
 * API node served in over 30 ms with its round trips (which statement, when, how long), to tell a
 * slow Postgres from a busy event loop.
 */
import { Client as PgClient } from 'pg';
import { io as connectClient, type Socket } from 'socket.io-client';
import { createDecider } from '../activities/decide';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { issueSession } from '../api/session';
import { createPool } from '../db/client';
import { API_EVENTS_CHANNEL, publishApiEvent } from '../db/api-events';
import { createTenant } from '../db/tenants';
import { withTenant } from '../db/tenant';
import { ModelCache } from '../ml/model-cache';
import { ModelRegistry } from '../ml/registry';
import { trainOnDataVersion } from '../ml/trainers';
import { startEphemeralServers } from '../stack/ephemeral-servers';
import {
  formatProbes,
  formatSlowRequests,
  installProbes,
  resetProbes,
  SLOW_MS,
  startProbes,
  stopProbes,
  type ProbeReport,
} from './api-probes';
import type { ApiNodeRequest } from './api-node';
import { runBench } from './harness';
import { pgStatements, statementsSettings } from './pg-statements';
import { CpuMeter, formatCpu } from './process-cpu';
import { fileFlag, formatSummary, intFlag, summarize, textFlag, type Summary } from './stats';

const SECRET = 'bench-api-session-secret-0123456789abcdef';
const AT = '2026-03-10T11:00:00+05:30';
const SEED = 3;
const DECIDE_TENANTS = 10;
const CLIENT_ADDRESSES = 10;

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - performance.now())));

/**
 * Calls `fn(i)` at `rate` per second for `seconds` (open loop: a slow answer does not delay the next send).
 * `slowest` lists the seconds of the run with the most answers over 30 ms (a tail spread out is queueing, one
 * clustered in a few seconds is a stall: GC, a slow fsync, the machine's other work).
 */
async function paced(
  rate: number,
  seconds: number,
  fn: (i: number) => Promise<void>,
): Promise<Summary & { slowest: string }> {
  const n = Math.round(rate * seconds);
  const samples: number[] = [];
  const slowBySecond = new Map<number, number[]>();
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await sleepUntil(t0 + (i * 1000) / rate);
    const s = performance.now();
    inFlight.push(
      fn(i).then(() => {
        const ms = performance.now() - s;
        samples.push(ms);
        if (ms > 30) {
          const second = Math.floor((s - t0) / 1000);
          slowBySecond.set(second, [...(slowBySecond.get(second) ?? []), ms]);
        }
      }),
    );
  }
  await Promise.all(inFlight);
  const slow = [...slowBySecond.entries()].sort((a, b) => b[1].length - a[1].length);
  const total = slow.reduce((a, [, xs]) => a + xs.length, 0);
  const slowest =
    `${total} answers over 30 ms in ${slow.length} of ${seconds} s; most in s ` +
    slow
      .slice(0, 5)
      .map(([sec, xs]) => `${sec} (${xs.length}, max ${Math.max(...xs).toFixed(0)} ms)`)
      .join(', ');
  return { ...summarize(samples, performance.now() - t0), slowest };
}

/** `n` calls one after another (closed loop). */
async function oneAtATime(n: number, fn: (i: number) => Promise<unknown>): Promise<Summary> {
  const samples: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn(i);
    samples.push(performance.now() - s);
  }
  return summarize(samples, performance.now() - t0);
}

/*
 * The load generator's HTTP client: node:http on kept-alive connections. fetch (undici and web
 * streams) cost 1.2–1.8 ms of CPU a request here, taken from the cores the API and Postgres share.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function postJson(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The API node in its own process (bench/api-node.ts), as it runs in production. */
interface ApiNode {
  url: string;
  request<T>(m: ApiNodeRequest, answer: string): Promise<T>;
  close(): Promise<void>;
}

async function forkApiNode(env: NodeJS.ProcessEnv): Promise<ApiNode> {
  const root = path.resolve(__dirname, '..');
  const child: ChildProcess = fork(path.join(root, 'bin/run-ts.js'), [path.join(root, 'bench/api-node.ts')], {
    env: { ...process.env, ...env },
    execArgv: textFlag('api-node-flags')?.split(' ').filter(Boolean),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (m.type !== type) return;
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve(m);
      };
      const onExit = (code: number | null) => reject(new Error(`the API node exited (${code}) before '${type}'`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { url } = (await next('ready')) as { url: string };
  return {
    url,
    async request<T>(m: ApiNodeRequest, answer: string) {
      const reply = next(answer);
      child.send(m);
      return (await reply) as T;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'close' } satisfies ApiNodeRequest);
      }),
  };
}

runBench(async () => {
  installProbes(); // before any traffic: see installProbes
  const rate = intFlag('rate', 100);
  const seconds = intFlag('seconds', 30);
  const clients = intFlag('clients', 1000);
  const rooms = intFlag('rooms', 100);
  const events = intFlag('events', 300);
  const servers = await startEphemeralServers({
    bundle: false,
    postgresSettings: statementsSettings(),
  });
  const superUrl = servers.db.superUrl ?? servers.db.appUrl;
  const pool = createPool(servers.db.appUrl, { max: 8 });
  const cache = new ModelCache({ pool, listenUrl: servers.db.appUrl, workerId: 'bench-api-in-process' });
  const sockets: Socket[] = [];
  const apis: ApiNode[] = [];
  try {
    const registry = new ModelRegistry(pool, { actor: 'bench' });
    for (const typeId of ['signal_stack', 'strategy_agents'] as const) {
      const t0 = performance.now();
      const { run, metadata } = await trainOnDataVersion(typeId, '2026-03-06');
      await registry.saveModel({ scope: 'global', artifact: run.artifact, metadata });
      console.log(`${typeId}: trained and promoted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const nodes = intFlag('api-nodes', 1);
    for (let k = 0; k < nodes; k++)
      apis.push(
        await forkApiNode({
          TEMPORAL_ADDRESS: servers.temporal.address,
          TEMPORAL_NAMESPACE: servers.namespace,
          QS_LOG_LEVEL: 'silent',
          QS_SESSION_SECRET: SECRET,
          QS_APP_DATABASE_URL: servers.db.appUrl,
        }),
      );
    /** Request i's node: round robin, as a load balancer in front of the nodes would. */
    const urlOf = (i: number) => apis[i % apis.length]!.url;
    const toEveryNode = <T>(m: ApiNodeRequest, answer: string) => Promise.all(apis.map((a) => a.request<T>(m, answer)));
    await cache.start();

    // ---------- decide ----------
    const tenants: Array<{ id: number; slug: string }> = [];
    for (let t = 0; t < DECIDE_TENANTS; t++) tenants.push(await createTenant(pool, { slug: `bench-d${t}`, name: 'B' }));
    const tokens = tenants.map((t) => issueSession(SECRET, { userId: 1, tenantId: t.id, role: 'trader' }));
    const statuses = new Map<number, number>();
    const overHttp = async (i: number, key: string) => {
      const t = i % DECIDE_TENANTS;
      const status = await postJson(
        `${urlOf(i)}/t/${tenants[t].slug}/api/v1/decisions`,
        JSON.stringify({ key, at: AT, seed: SEED }),
        {
          authorization: `Bearer ${tokens[t]}`,
          'x-forwarded-for': `10.9.0.${(i % CLIENT_ADDRESSES) + 1}`,
        },
      );
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    };
    // Warm both paths (models loaded, snapshot built and stored, connections open).
    for (let i = 0; i < 20; i++) await overHttp(i, `warm-${i}`);
    statuses.clear();
    const decider = createDecider({ pool, models: cache });
    for (let i = 0; i < 20; i++)
      await decider.run({ tenantId: tenants[0].id, decisionId: `warm-in-${i}`, at: AT, seed: SEED });

    // One at a time first: the cost of a request with no queue in front of it.
    const sequential = intFlag('sequential', 200);
    const oneInProcess = await oneAtATime(sequential, (i) =>
      decider.run({ tenantId: tenants[i % DECIDE_TENANTS].id, decisionId: `seq-in-${i}`, at: AT, seed: SEED }),
    );
    const oneHttp = await oneAtATime(sequential, (i) => overHttp(i, `seq-http-${i}`));
    // A paced warm-up of each path right before its measured run, not measured: the first seconds at
    // the rate pay one-off costs (connections opened to the new concurrency, code compiled under it, heaps grown).
    // The probes start before the warm-up and drop what they saw of it (see startProbes).
    const warmSeconds = intFlag('warm-seconds', 3);
    await startProbes(superUrl);
    await paced(rate, warmSeconds, async (i) => {
      await decider.run({ tenantId: tenants[i % DECIDE_TENANTS].id, decisionId: `warm-in-p${i}`, at: AT, seed: SEED });
    });
    const inSeconds = Math.max(1, Math.round(seconds / 3));
    await resetProbes();
    const inProcess = await paced(rate, inSeconds, async (i) => {
      await decider.run({ tenantId: tenants[i % DECIDE_TENANTS].id, decisionId: `in-${i}`, at: AT, seed: SEED });
    });
    const inProbes = await stopProbes(rate * inSeconds);
    // Warmed right before it is measured: an API node idle through the in-process run starts cold again.
    await toEveryNode({ type: 'probe', pgUrl: superUrl }, 'probing');
    await paced(rate, warmSeconds, (i) => overHttp(i, `warm-http-p${i}`));
    await toEveryNode({ type: 'measure', cpu: fileFlag('cpu-profile'), heap: fileFlag('heap-profile') }, 'measuring');
    const loadCpu0 = process.cpuUsage();
    const loadLoop = monitorEventLoopDelay({ resolution: 5 });
    loadLoop.enable();
    const cpu = new CpuMeter(servers.temporal.process.pid);
    const statements = await pgStatements(superUrl);
    const http = await cpu.measure(() => paced(rate, seconds, (i) => overHttp(i, `http-${i}`)));
    loadLoop.disable();
    const loadCpu = process.cpuUsage(loadCpu0);
    const statementReport = await statements?.report(rate * seconds);
    const nodeReports = await toEveryNode<{ report: ProbeReport }>(
      { type: 'report', requests: Math.round((rate * seconds) / apis.length) },
      'report',
    );
    const byStatus = [...statuses.entries()].map(([s, n]) => `${s}×${n}`).join(' ');
    console.log(
      `\ndecide through HTTP: ${rate}/s for ${seconds} s over ${DECIDE_TENANTS} tenants; statuses ${byStatus}`,
    );
    console.log(formatSummary('in process, one at a time', oneInProcess));
    console.log(formatSummary('HTTP, one at a time', oneHttp));
    console.log(formatSummary(`baseline: in process ${rate}/s`, inProcess));
    console.log(formatSummary(`decide through HTTP ${rate}/s`, http));
    console.log(`  in process: ${inProcess.slowest}\n  HTTP: ${http.slowest}`);
    console.log(`\nwhere the time goes, in process ${rate}/s:\n${formatProbes(inProbes)}`);
    for (const [k, { report }] of nodeReports.entries())
      console.log(
        `where the time goes, HTTP ${rate}/s (in API node ${k + 1} of ${apis.length}'s process):\n` +
          formatProbes(report),
      );
    const loadCpuMs = (loadCpu.user + loadCpu.system) / 1000 / (rate * seconds);
    console.log(
      `  the load generator's process: ${loadCpuMs.toFixed(2)} ms CPU per request; event-loop delay ` +
        `p99 ${(loadLoop.percentile(99) / 1e6).toFixed(1)} max ${(loadLoop.max / 1e6).toFixed(1)} ms`,
    );
    console.log(formatCpu('the HTTP run, by process', cpu.perUnit(), 'request'));
    const slowTrace = fileFlag('slow-trace');
    if (slowTrace) {
      fs.writeFileSync(
        slowTrace,
        nodeReports.map(({ report }, k) => `API node ${k + 1}\n${formatSlowRequests(report.slow)}\n`).join(''),
      );
      console.log(`  the API nodes' requests over ${SLOW_MS} ms, with their round trips: ${slowTrace}`);
    }
    if (statementReport) console.log(`\nPostgres statements in the HTTP run:\n${statementReport}`);
    const decideGoal = `decide p99 < 30 ms (HTTP ${http.p99.toFixed(1)} ms, in process ${inProcess.p99.toFixed(1)} ms)`;
    if (process.argv.includes('--no-fanout')) {
      console.log(`\ngoal: ${decideGoal}`);
      return;
    }

    // ---------- fan-out ----------
    const roomTenants: Array<{ id: number; slug: string }> = [];
    for (let r = 0; r < rooms; r++) roomTenants.push(await createTenant(pool, { slug: `bench-r${r}`, name: 'R' }));
    const received: number[] = [];
    let expected = 0;
    for (let c = 0; c < clients; c++) {
      const t = roomTenants[c % rooms];
      const s = connectClient(urlOf(c), {
        auth: { token: issueSession(SECRET, { userId: 1, tenantId: t.id, role: 'trader' }) },
        transports: ['websocket'],
        reconnection: false,
      });
      sockets.push(s);
      await new Promise<void>((resolve, reject) => {
        s.once('connect', resolve);
        s.once('connect_error', reject);
      });
      const ack = (await s.timeout(10_000).emitWithAck('subscribe', { channel: 'pnl' })) as { ok: boolean };
      if (!ack.ok) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);
      s.on('event', (e: { payload: { sentAt: number } }) => received.push(Date.now() - e.payload.sentAt));
    }
    const publish = (r: number) =>
      withTenant(pool, roomTenants[r % rooms].id, (tx) => publishApiEvent(tx, 'pnl', { sentAt: Date.now() }));
    const perRoom = clients / rooms;
    const f0 = performance.now();
    for (let e = 0; e < events; e++) {
      expected += perRoom;
      await publish(e);
      await new Promise((r) => setTimeout(r, 10));
    }
    for (let wait = 0; received.length < expected && wait < 100; wait++) await new Promise((r) => setTimeout(r, 100));
    const fanout = summarize(received, performance.now() - f0);

    // Baseline: the same publish to a bare LISTEN connection (NOTIFY → listener, no API, no Socket.IO).
    const listener = new PgClient({ connectionString: servers.db.appUrl });
    await listener.connect();
    const notified: number[] = [];
    let waiting: (() => void) | undefined;
    listener.on('notification', () => waiting?.());
    await listener.query(`LISTEN ${API_EVENTS_CHANNEL}`);
    for (let e = 0; e < Math.min(events, 200); e++) {
      const got = new Promise<void>((r) => (waiting = r));
      const s = performance.now();
      await withTenant(pool, roomTenants[0].id, (tx) => publishApiEvent(tx, 'orders', { baseline: e }));
      await got;
      notified.push(performance.now() - s);
    }
    await listener.end();
    const baselineNotify = summarize(
      notified,
      notified.reduce((a, b) => a + b, 0),
    );

    console.log(
      `\nfan-out: ${clients} clients in ${rooms} tenant rooms, ${events} events × ${perRoom} subscribers ` +
        `(${received.length}/${expected} delivered)`,
    );
    console.log(formatSummary('baseline: NOTIFY → LISTEN', baselineNotify));
    console.log(formatSummary('fan-out: publish → client', fanout));
    console.log(`\ngoals: ${decideGoal}; fan-out p99 < 50 ms (${fanout.p99.toFixed(1)} ms)`);
  } finally {
    agent.destroy();
    for (const s of sockets) s.disconnect();
    await Promise.all(apis.map((a) => a.close()));
    await cache.stop();
    await pool.end();
    await servers.stop();
  }
});
