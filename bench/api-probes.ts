/**
 * Where a request's time goes, seen from inside the bench process (the API runs in it): every
 * Postgres round trip timed by the statement it runs, the wait for a pooled connection and how
 * many were queued for one, event-loop delay and GC pauses, and the process's CPU per request.
 * It wraps pg's Client.query and Pool.connect for the bench only; the API's code is unchanged.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import http from 'node:http';
import { constants, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import { summarize, type Summary } from './stats';

/** Names a statement by what it does (the SQL text of the API's own modules). */
export function statementLabel(sql: string): string {
  const s = sql.trimStart();
  if (s.startsWith(WAIT_SAMPLE)) return 'probe';
  if (/^BEGIN; SELECT set_config/.test(s)) return 'BEGIN + set tenant';
  if (/^(BEGIN|COMMIT|ROLLBACK)/i.test(s)) return s.split(/\s/)[0]!.toUpperCase();
  if (s.includes('qs.api_events_committed')) return 'COMMIT (+ wake the event readers)';
  if (s.includes('api_rate_limits')) return 'rate-limit counts';
  if (s.includes('INSERT INTO decisions')) return 'insert decision (+ audit, outbox)';
  if (s.includes("set_config('app.tenant_id'")) return 'set tenant';
  if (s.includes('AS "reconciliationClean"')) return 'decision state';
  if (/^insert into "decisions"/i.test(s)) return 'insert decision (+ outbox trigger)';
  if (/^insert into "?market_snapshots/i.test(s)) return 'store snapshot';
  if (/audit/i.test(s)) return 'audit';
  return s.replace(/\s+/g, ' ').slice(0, 48);
}

interface Probe {
  rounds: Map<string, number[]>;
  connectWait: number[];
  waitingAtConnect: number[];
  gc: number[];
  majorGc: number[];
  loop: IntervalHistogram;
  cpu0: NodeJS.CpuUsage;
  t0: number;
  waits: Map<string, number>;
  waitSamples: number;
  /** Each HTTP request from its arrival to its response's last byte handed to the kernel. */
  served: number[];
  /** The requests served slower than SLOW_MS, each with its round trips. */
  slow: SlowRequest[];
  machine0?: MachineCpu;
  sampler?: { client: Client; timer: NodeJS.Timeout };
  wal0?: { bytes: number; fpi: number; segments: number };
}

/** What the API's backends are doing, sampled: `Lock:object` is the database-wide lock NOTIFY takes to commit. */
const WAIT_SAMPLE = `SELECT coalesce(wait_event_type || ':' || wait_event, 'on CPU') AS w, count(*)::int AS n
  FROM pg_stat_activity WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()
 GROUP BY 1`;

/** A request served slower than SLOW_MS: when it came (ms into the window), and its round trips in order. */
export interface SlowRequest {
  at: number;
  ms: number;
  /** [statement, ms after the request came, ms it took] */
  rounds: Array<[string, number, number]>;
}
export const SLOW_MS = 30;
/** The request whose handler issued a round trip (its arrival and its round trips so far). */
const inRequest = new AsyncLocalStorage<{ t0: number; rounds: SlowRequest['rounds'] }>();

let active: Probe | undefined;
let installed = false;

function record(label: string, ms: number): void {
  if (!active || label === 'probe') return;
  const list = active.rounds.get(label) ?? [];
  list.push(ms);
  active.rounds.set(label, list);
}

/**
 * Wraps pg once; nothing is recorded outside start()…stop(). Call it before the warm-up: replacing
 * the prototypes' methods deoptimises every caller, and the first second after it runs slow.
 */
export function installProbes(): void {
  if (installed) return;
  installed = true;
  type AnyFn = (...args: unknown[]) => unknown;
  const proto = Client.prototype as unknown as { query: AnyFn };
  const query = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (!active) return query.apply(this, args);
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    const t0 = performance.now();
    const request = inRequest.getStore();
    const done = () => {
      const ms = performance.now() - t0;
      const label = statementLabel(text);
      record(label, ms);
      request?.rounds.push([label, t0 - request.t0, ms]);
    };
    const cbAt = args.findIndex((a) => typeof a === 'function');
    if (cbAt >= 0) {
      const cb = args[cbAt] as AnyFn;
      args[cbAt] = (...r: unknown[]) => {
        done();
        return cb(...r);
      };
      return query.apply(this, args);
    }
    const out = query.apply(this, args);
    if (out && typeof (out as Promise<unknown>).then === 'function') (out as Promise<unknown>).then(done, done);
    return out;
  };
  const emit = http.Server.prototype.emit as AnyFn;
  http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
    if (!active || event !== 'request') return emit.call(this, event, ...args) as boolean;
    const probe = active;
    const request = { t0: performance.now(), rounds: [] as SlowRequest['rounds'] };
    (args[1] as http.ServerResponse).once('finish', () => {
      const ms = performance.now() - request.t0;
      probe.served.push(ms);
      if (ms > SLOW_MS) probe.slow.push({ at: request.t0 - probe.t0, ms, rounds: request.rounds });
    });
    return inRequest.run(request, () => emit.call(this, event, ...args) as boolean);
  } as typeof http.Server.prototype.emit;
  const poolProto = Pool.prototype as unknown as { connect: AnyFn };
  const connect = poolProto.connect;
  poolProto.connect = function (this: Pool, ...args: unknown[]) {
    if (!active) return connect.apply(this, args);
    active.waitingAtConnect.push(this.waitingCount);
    const t0 = performance.now();
    const probe = active;
    const done = () => probe.connectWait.push(performance.now() - t0);
    if (typeof args[0] === 'function') {
      const cb = args[0] as AnyFn;
      return connect.call(this, (...r: unknown[]) => {
        done();
        return cb(...r);
      });
    }
    const out = connect.apply(this, args) as Promise<unknown>;
    out.then(done, done);
    return out;
  };
}

const gcObserver = new PerformanceObserver((list) => {
  if (!active) return;
  for (const e of list.getEntries()) {
    active.gc.push(e.duration);
    // Mark-sweep-compact (the whole heap) rather than a scavenge of the young generation.
    if ((e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
      active.majorGc.push(e.duration);
  }
});

/** A new measuring window: what was recorded so far is dropped; the wrappers and the sampler go on. */
async function openWindow(probe: Probe): Promise<void> {
  probe.rounds = new Map();
  probe.connectWait = [];
  probe.waitingAtConnect = [];
  probe.gc = [];
  probe.majorGc = [];
  probe.loop.reset();
  probe.waits = new Map();
  probe.waitSamples = 0;
  probe.served = [];
  probe.slow = [];
  probe.machine0 = machineCpu();
  probe.wal0 = probe.sampler && (await walState(probe.sampler.client).catch(() => undefined)); // needs pg_monitor
  probe.cpu0 = process.cpuUsage();
  probe.t0 = performance.now();
}

/**
 * Starts recording; with `pgUrl`, also samples the Postgres backends' wait events every 20 ms.
 * Start the probes before a warm-up and call resetProbes when the measured run begins: the first
 * requests through the probes' recording paths (and the sampler's first queries) run slow, and a
 * measured run that starts them shows that as a stall in its first second.
 */
export async function startProbes(pgUrl?: string): Promise<void> {
  installProbes();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  gcObserver.observe({ entryTypes: ['gc'] });
  const probe: Probe = {
    rounds: new Map(),
    connectWait: [],
    waitingAtConnect: [],
    gc: [],
    majorGc: [],
    loop,
    cpu0: process.cpuUsage(),
    t0: performance.now(),
    waits: new Map(),
    waitSamples: 0,
    served: [],
    slow: [],
  };
  if (pgUrl) {
    const client = new Client({ connectionString: pgUrl });
    await client.connect();
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      client
        .query<{ w: string; n: number }>(WAIT_SAMPLE)
        .then(({ rows }) => {
          probe.waitSamples++;
          for (const r of rows) probe.waits.set(r.w, (probe.waits.get(r.w) ?? 0) + r.n);
        })
        .catch(() => undefined)
        .finally(() => (busy = false));
    }, 20);
    probe.sampler = { client, timer };
  }
  await openWindow(probe);
  active = probe;
}

/** Drops what the running probes recorded so far (a warm-up's): the window starts now. */
export async function resetProbes(): Promise<void> {
  if (!active) throw new Error('resetProbes: the probes are not running');
  await openWindow(active);
}

export interface ProbeReport {
  rounds: Array<{ label: string; perRequest: number; summary: Summary }>;
  connectWait: Summary;
  maxWaiting: number;
  queuedShare: number;
  loopDelay: { p50: number; p99: number; max: number };
  gc: { count: number; totalMs: number; maxMs: number; p99: number; major: number; majorMs: number };
  cpuMsPerRequest: number;
  cpuShare: number;
  /** Requests served by this process's HTTP server, arrival to response written (none: not an API node). */
  served?: Summary;
  /** The requests this process served slower than SLOW_MS, with their round trips. */
  slow: SlowRequest[];
  /** The whole machine over the window: cores busy (of all), and the share the hypervisor took (steal). */
  machine?: { cores: number; busy: number; steal: number };
  /** Mean backends in each wait state per sample. */
  waits: Array<{ wait: string; mean: number }>;
  /** WAL per request and WAL segment files added over the window (with a Postgres sampler). */
  wal?: { bytesPerRequest: number; fullPagesPerRequest: number; newSegments: number };
}

/** Stops recording; `requests` is how many requests the window served (for per-request figures). */
export async function stopProbes(requests: number): Promise<ProbeReport> {
  const p = active!;
  active = undefined;
  p.loop.disable();
  gcObserver.disconnect();
  let wal: ProbeReport['wal'];
  if (p.sampler) {
    clearInterval(p.sampler.timer);
    const w1 = p.wal0 && (await walState(p.sampler.client).catch(() => undefined));
    await p.sampler.client.end();
    if (p.wal0 && w1)
      wal = {
        bytesPerRequest: (w1.bytes - p.wal0.bytes) / requests,
        fullPagesPerRequest: (w1.fpi - p.wal0.fpi) / requests,
        newSegments: w1.segments - p.wal0.segments,
      };
  }
  const wallMs = performance.now() - p.t0;
  const cpu = process.cpuUsage(p.cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const ns = (x: number) => x / 1e6;
  const gcSorted = [...p.gc].sort((a, b) => a - b);
  return {
    rounds: [...p.rounds.entries()]
      .map(([label, xs]) => ({ label, perRequest: xs.length / requests, summary: summarize(xs, wallMs) }))
      .sort((a, b) => b.summary.p50 * b.perRequest - a.summary.p50 * a.perRequest),
    connectWait: summarize(p.connectWait.length ? p.connectWait : [0], wallMs),
    maxWaiting: Math.max(0, ...p.waitingAtConnect),
    queuedShare: p.waitingAtConnect.filter((w) => w > 0).length / Math.max(1, p.waitingAtConnect.length),
    loopDelay: { p50: ns(p.loop.percentile(50)), p99: ns(p.loop.percentile(99)), max: ns(p.loop.max) },
    gc: {
      count: gcSorted.length,
      totalMs: gcSorted.reduce((a, b) => a + b, 0),
      maxMs: gcSorted.at(-1) ?? 0,
      p99: gcSorted[Math.max(0, Math.ceil(0.99 * gcSorted.length) - 1)] ?? 0,
      major: p.majorGc.length,
      majorMs: p.majorGc.reduce((a, b) => a + b, 0),
    },
    waits: [...p.waits.entries()]
      .map(([wait, n]) => ({ wait, mean: n / Math.max(1, p.waitSamples) }))
      .sort((a, b) => b.mean - a.mean),
    cpuMsPerRequest: cpuMs / requests,
    cpuShare: cpuMs / wallMs,
    wal,
    served: p.served.length > 0 ? summarize(p.served, wallMs) : undefined,
    slow: p.slow,
    machine: machineShare(p.machine0, machineCpu()),
  };
}

interface MachineCpu {
  cores: number;
  total: number;
  idle: number;
  steal: number;
}

/** The machine's CPU time so far from /proc/stat (Linux; undefined elsewhere). */
function machineCpu(): MachineCpu | undefined {
  try {
    const lines = fs.readFileSync('/proc/stat', 'utf8').split('\n');
    // user nice system idle iowait irq softirq steal
    const t = lines[0]!.split(/\s+/).slice(1, 9).map(Number);
    return {
      cores: lines.filter((l) => /^cpu\d/.test(l)).length,
      total: t.reduce((a, b) => a + b, 0),
      idle: t[3]! + t[4]!,
      steal: t[7]!,
    };
  } catch {
    return undefined;
  }
}

function machineShare(a: MachineCpu | undefined, b: MachineCpu | undefined): ProbeReport['machine'] {
  if (!a || !b || b.total <= a.total) return undefined;
  const total = b.total - a.total;
  return { cores: b.cores, busy: 1 - (b.idle - a.idle) / total, steal: (b.steal - a.steal) / total };
}

/** WAL written so far and the segment files on disk (a new one is zero-filled and fsynced). */
async function walState(client: Client): Promise<{ bytes: number; fpi: number; segments: number }> {
  const { rows } = await client.query<{ bytes: string; fpi: string; segments: number }>(
    `SELECT wal_bytes::text AS bytes, wal_fpi::text AS fpi, (SELECT count(*)::int FROM pg_ls_waldir()) AS segments
       FROM pg_stat_wal`,
  );
  return { bytes: Number(rows[0]!.bytes), fpi: Number(rows[0]!.fpi), segments: rows[0]!.segments };
}

/** One line per slow request: when it came, how long it took, and each round trip (+start, duration). */
export function formatSlowRequests(slow: readonly SlowRequest[]): string {
  return slow
    .map(
      (x) =>
        `${(x.at / 1000).toFixed(3)} s  ${x.ms.toFixed(1)} ms: ` +
        x.rounds.map(([label, start, ms]) => `${label} +${start.toFixed(1)} (${ms.toFixed(1)})`).join(', '),
    )
    .join('\n');
}

export function formatProbes(r: ProbeReport): string {
  const f = (x: number) => x.toFixed(1).padStart(6);
  const lines = ['  Postgres round trips (per request × p50 / p99 ms):'];
  for (const x of r.rounds)
    lines.push(
      `    ${x.label.padEnd(38)} ×${x.perRequest.toFixed(2).padStart(5)}  ${f(x.summary.p50)} / ${f(x.summary.p99)}` +
        `  max ${f(x.summary.max)}`,
    );
  lines.push(
    `  pool connect wait p50 ${f(r.connectWait.p50)} p99 ${f(r.connectWait.p99)} max ${f(r.connectWait.max)} ms; ` +
      `queued behind others ${(100 * r.queuedShare).toFixed(1)}% of checkouts, at most ${r.maxWaiting} waiting`,
    `  event-loop delay p50 ${f(r.loopDelay.p50)} p99 ${f(r.loopDelay.p99)} max ${f(r.loopDelay.max)} ms`,
    `  GC ${r.gc.count} pauses, ${r.gc.totalMs.toFixed(0)} ms in all, p99 ${f(r.gc.p99)} max ${f(r.gc.maxMs)} ms ` +
      `(${r.gc.major} of the whole heap, ${r.gc.majorMs.toFixed(0)} ms)`,
    `  the process's CPU ${r.cpuMsPerRequest.toFixed(2)} ms per request (${(100 * r.cpuShare).toFixed(0)}% of a core)`,
  );
  if (r.served)
    lines.push(
      `  served (request in → response written) p50 ${f(r.served.p50)} p99 ${f(r.served.p99)} ` +
        `max ${f(r.served.max)} ms`,
    );
  if (r.slow.length > 0) {
    const inRounds = r.slow.reduce((a, x) => a + x.rounds.reduce((b, [, , ms]) => b + ms, 0), 0);
    const total = r.slow.reduce((a, x) => a + x.ms, 0);
    lines.push(
      `  served over ${SLOW_MS} ms: ${r.slow.length} requests, ${((100 * inRounds) / total).toFixed(0)}% of their ` +
        `time in Postgres round trips (--slow-trace f: each one's round trips)`,
    );
  }
  if (r.machine)
    lines.push(
      `  the machine: ${(100 * r.machine.busy).toFixed(0)}% of ${r.machine.cores} cores busy, ` +
        `${(100 * r.machine.steal).toFixed(1)}% stolen by the hypervisor`,
    );
  if (r.wal)
    lines.push(
      `  WAL ${(r.wal.bytesPerRequest / 1024).toFixed(1)} KiB per request ` +
        `(${r.wal.fullPagesPerRequest.toFixed(2)} full pages); ${r.wal.newSegments} segment files added`,
    );
  if (r.waits.length > 0)
    lines.push(
      `  Postgres backends busy (mean per 20 ms sample): ` +
        r.waits.map((w) => `${w.wait} ${w.mean.toFixed(2)}`).join(', '),
    );
  return lines.join('\n');
}

/**
 * `--cpu-profile <file>`: V8's sampling CPU profile of the process over one phase (open it in Chrome's
 * DevTools); `--heap-profile <file>`: its sampling allocation profile (what the GC has to collect).
 * Returns the function that stops the profiles and writes them.
 */
export async function startProfiles(files: { cpu?: string; heap?: string }): Promise<() => Promise<void>> {
  if (!files.cpu && !files.heap) return async () => undefined;
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  if (files.cpu) {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  if (files.heap) {
    await session.post('HeapProfiler.enable');
    // Objects collected during the phase too: the garbage is the point.
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 16_384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  return async () => {
    if (files.cpu) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(files.cpu, JSON.stringify(profile));
      console.log(`CPU profile of the phase: ${files.cpu}`);
    }
    if (files.heap) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      await writeFile(files.heap, JSON.stringify(profile));
      console.log(`allocation profile of the phase: ${files.heap}`);
    }
    session.disconnect();
  };
}
