/**
 * Every route of the real app over real HTTP, fuzzed with fast-check: random methods, paths,
 * headers, content types and bodies (wrong types, missing and extra fields, huge strings, NUL
 * and control characters, unicode, injection strings, forged tokens, numeric edge cases).
 * Nothing may answer 5xx, log at error, log a stack for a client's mistake, or write an audit
 * row. FUZZ_SEED=<n> replays a run (the seed is printed).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import pino from 'pino';
import { issueSession } from '../../api/session';
import { createTenant, createUser } from '../../db/tenants';
import { withTenant } from '../../db/tenant';
import { createPool } from '../../db/client';
import { postbackChecksum } from '../../broker/kite/postback';
import { saveKiteAccount } from '../../db/broker-credentials';
import { testKeys } from '../support/fake-kite';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { createWorkerIdentityActivities } from '../../activities/worker-identity';
import { freshNamespace, testClient, testPool, testWorker } from '../support/env';
import { startTestApi, type TestApi } from '../support/api-harness';

const REQUESTS = 5000;
const CONCURRENCY = 4;
const SECRET = 'f'.repeat(40);
const KITE_SECRET = 'fuzzsecret';

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Captures the app's JSON log lines. */
function memoryLog() {
  const lines: Array<{ level: number; msg: string; stack?: string; err?: { stack?: string } }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: 'warn' }, stream) };
}

/** A request target Node will send: anything outside visible latin1 percent-encoded (as UTF-8). */
const asTarget = (raw: string) =>
  raw.replace(/[^\u0021-\u00ff]/gu, (c) =>
    c.length === 1 && c.charCodeAt(0) >= 0xd800 ? '%ED%A0%80' : encodeURIComponent(c),
  );
/** A header value Node will send (no CR, LF, NUL or other controls but tab). */
const asHeader = (raw: string) => raw.replace(/[^\t\u0020-\u007e\u0080-\u00ff]/g, '');

function requestArbitrary(ctx: { tenantId: number; kiteTenantId: number; slug: string; token: string }) {
  const numbers = fc.constantFrom(0, -0, -1, 1, 1e308, -1e308, 2147483648, Number.MAX_SAFE_INTEGER + 2, 1.5, 1e-320);
  const numericText = fc.constantFrom('1e3', '0x10', '2147483648', '-1', '01', '0', '+1', '1.0', 'NaN', 'Infinity');
  const nasty = fc.constantFrom(
    "' OR '1'='1' --",
    "'; DROP TABLE users; --",
    '${jndi:ldap://x/a}',
    '<script>alert(1)</script>',
    '../../../../etc/passwd',
    '__proto__',
    'constructor',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff\ud800',
    '\u001b[31mred\u001b[0m',
    '\r\n\t\u0007\u007f\u0085',
    '\u202e\u200b\ufeff',
    '😀👩‍👩‍👧',
    'ｔｅｎａｎｔ',
    '%00',
    '%s%n%x',
    'null',
    '',
    ' ',
  );
  const text = fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 4, arbitrary: nasty },
    { weight: 2, arbitrary: numericText },
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(5000), '\u0000'.repeat(2000), 'é'.repeat(70_000)) },
  );
  const value: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 6, arbitrary: text },
    { weight: 2, arbitrary: numbers },
    { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, ['a'], { a: 1 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
  /** A plausible value with one bad character slipped in somewhere. */
  const tainted = (xs: string[]) =>
    fc
      .tuple(fc.constantFrom(...xs), fc.constantFrom('\u0000', '\ud800', '\udc00', '\u001b', '\u0085', '\n'), fc.nat())
      .map(([x, bad, at]) => x.slice(0, at % (x.length + 1)) + bad + x.slice(at % (x.length + 1)));
  const realish = (...xs: string[]) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...xs) },
      { weight: 2, arbitrary: tainted(xs) },
      { weight: 2, arbitrary: value },
    );

  const loginBody = fc.record(
    {
      tenant: realish(ctx.slug, 'nobody-here', ctx.slug.toUpperCase()),
      email: realish('fuzz@fuzz.test', 'FUZZ@fuzz.test', 'who@fuzz.test'),
      password: realish('not the password', 'a'.repeat(1024), 'a'.repeat(1025)),
      extra: value,
    },
    { requiredKeys: [] },
  );
  const orderId = realish('250000000000009', '1');
  // A kill switch with one part always wrong (an extra field at least): the fuzz's trader may set
  // kill switches, and no fuzz request may write a row.
  const killSwitchBody = fc.record(
    {
      scope: realish('tenant', 'instrument', 'planet'),
      target: realish('NIFTY', '*', ''),
      reason: realish('fuzz', '', 'x'.repeat(501)),
      extra: value,
    },
    { requiredKeys: ['extra'] },
  );

  const postbackBody = fc
    .record(
      {
        order_id: orderId,
        order_timestamp: realish('2026-05-06 10:01:02'),
        checksum: realish('ab'.repeat(32), ''),
        tag: realish('QSFUZZ', ''),
        status: realish('COMPLETE', 'REJECTED'),
        filled_quantity: value,
        extra: value,
      },
      { requiredKeys: [] },
    )
    .chain((b) =>
      // Half of the well-typed ones carry a valid checksum, to reach the order lookup.
      fc
        .boolean()
        .map((sign) =>
          sign && typeof b.order_id === 'string' && typeof b.order_timestamp === 'string'
            ? { ...b, checksum: postbackChecksum(b.order_id, b.order_timestamp, KITE_SECRET) }
            : b,
        ),
    );
  const json = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'undefined');
  const body: fc.Arbitrary<Buffer | undefined> = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 6, arbitrary: loginBody.map(json) },
    { weight: 6, arbitrary: postbackBody.map(json) },
    { weight: 4, arbitrary: killSwitchBody.map(json) },
    { weight: 3, arbitrary: value.map(json) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          'null',
          '{"tenant": ',
          '{"a":1}}',
          '1e999',
          '-0',
          '1e-400',
          '9007199254740993',
          '"\\u0000"',
          '{"password":"\\ud800"}',
          '{"__proto__":{"admin":true},"tenant":"x","email":"y","password":"z"}',
          '['.repeat(5000) + ']'.repeat(5000),
          '\u0000',
          '',
          ' ',
          '\ufeff{}',
        )
        .map((s) => Buffer.from(s)),
    },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: fc.constant(Buffer.from(JSON.stringify({ pad: 'x'.repeat(300_000) }))) },
  );

  const forgedTokens = fc.oneof(
    fc.constantFrom(
      ctx.token,
      `${ctx.token}.extra`,
      `${ctx.token}=`,
      ` ${ctx.token}`,
      `${ctx.token.split('.')[0]}.`,
      ctx.token.replace(/.$/, 'A'),
      'forged.token',
      'a.b.c',
      '.',
      '',
      'x'.repeat(8000),
    ),
    fc.base64String({ maxLength: 200 }),
    fc.string({ maxLength: 100 }),
  );
  const headerValue = fc.oneof(
    { weight: 20, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 20, arbitrary: nasty },
    { weight: 1, arbitrary: fc.constant('x'.repeat(20_000)) }, // over Node's 16 KiB header limit: 431
  );
  /** The header in about `percent` of requests. */
  const sometimes = <T>(percent: number, arb: fc.Arbitrary<T>) =>
    fc.oneof({ weight: percent, arbitrary: arb }, { weight: 100 - percent, arbitrary: fc.constant(undefined) });
  const jsonType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/vnd.api+json');
  const otherType = fc.constantFrom(
    'application/json; charset=utf-16le',
    'application/json; charset=latin-9',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    '*/*',
    'application/json; charset',
    '',
  );
  const headers = fc.record({
    'content-type': sometimes(90, fc.oneof({ weight: 6, arbitrary: jsonType }, otherType, headerValue)),
    authorization: sometimes(
      30,
      fc.oneof(
        forgedTokens.map((t) => `Bearer ${t}`),
        fc.constantFrom('Basic Zm9vOmJhcg==', 'Bearer', 'bearer x.y'),
        headerValue,
      ),
    ),
    cookie: sometimes(
      30,
      fc.oneof(
        forgedTokens.map((t) => `qs_session=${t}`),
        forgedTokens.map((t) => `a=1; qs_session=${t}; qs_session=x`),
        headerValue,
      ),
    ),
    // Mostly another client each time, so logins get past the per-client throttle to the
    // credential check; the rest come from the fuzz's own address, which gets throttled (429).
    'x-forwarded-for': sometimes(70, fc.oneof({ weight: 8, arbitrary: fc.ipV4() }, fc.ipV6(), headerValue)),
    'content-encoding': sometimes(10, fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown')),
    accept: sometimes(20, headerValue),
    'user-agent': sometimes(20, headerValue),
  });

  const tenantSegment = fc.oneof(
    fc.constantFrom(String(ctx.kiteTenantId), String(ctx.tenantId), '999999', '2147483647'),
    numericText,
    fc.integer().map(String),
    text,
  );
  // Tenant routes under the fuzz tenant's slug, another slug, and broken ones.
  const slugSegment = fc.oneof(
    { weight: 6, arbitrary: fc.constant(ctx.slug) },
    { weight: 1, arbitrary: fc.constantFrom('nobody-here', 'platform', ctx.slug.toUpperCase(), 'a', '-x-') },
    { weight: 1, arbitrary: text.map((t) => encodeURIComponent(t.replace(/[\uD800-\uDFFF]/g, ''))) },
  );
  const tenantRoute = fc.constantFrom(
    'me',
    'csrf',
    'orders',
    'trades',
    'positions',
    'audit',
    'kill-switches',
    'kill-switches/set',
    'kill-switches/clear',
    'reconciliations',
    'live-arming',
    'users',
    'users/invitations',
    'users/1/role',
    'users/0/password-reset',
    'users/%00/role',
    'models',
    'models/direction',
    'models/not-a-model/promote',
    'models/direction/rollback',
  );
  const tenantQuery = fc.oneof(
    fc.constant(''),
    fc
      .tuple(fc.constantFrom('limit', 'before', 'x'), fc.oneof(numericText, text))
      .map(([k, v]) => `?${k}=${encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, ''))}`),
    fc.constantFrom('?limit=1&limit=2', '?limit[a]=1', '?before=0', '?limit=500&before=1'),
  );
  const tenantPath = fc
    .tuple(slugSegment, tenantRoute, tenantQuery)
    .map(([slug, route, query]) => `/t/${slug}/api/v1/${route}${query}`);
  const redeemBody = fc.record(
    {
      tenant: realish(ctx.slug, 'nobody-here'),
      token: realish('A'.repeat(43), 'short', 'B'.repeat(44)),
      password: realish('a long enough password', 'short', 'x'.repeat(1025)),
      extra: value,
    },
    { requiredKeys: [] },
  );
  const known = fc.oneof(
    fc.constantFrom(
      '/healthz',
      '/metrics',
      '/api/v1/auth/login',
      '/api/v1/auth/me',
      '/api/v1/openapi.json',
      '/api/v1/auth/invitations/accept',
      '/api/v1/auth/password-reset',
      '/api/v1/tenants',
      '/api/v1/tenants?date=2026-13-40',
    ),
    tenantPath,
    tenantSegment.map((t) => `/postbacks/kite/${encodeURIComponent(t.replace(/[\uD800-\uDFFF]/g, ''))}`),
    tenantSegment.map((t) => `/postbacks/kite/${t}`),
  );
  const path = fc.oneof(
    { weight: 12, arbitrary: known },
    { weight: 1, arbitrary: fc.constant('/readyz') }, // five Temporal calls each: fewer of them
    {
      weight: 3,
      arbitrary: fc
        .tuple(known, fc.constantFrom('/', '//', '?', '?a=1&a=2', '?%zz', '#x', '/..', '%', '%E0%A4%A', '%00', '.json'))
        .map(([p, s]) => p + s),
    },
    { weight: 2, arbitrary: known.map((p) => p.toUpperCase()) },
    { weight: 3, arbitrary: fc.webPath() },
    { weight: 2, arbitrary: fc.array(text, { maxLength: 4 }).map((segs) => `/${segs.join('/')}`) },
    { weight: 1, arbitrary: fc.constantFrom('/' + 'a'.repeat(7000), '*', '/%', '/%%', '/\u00ff\u00fe') },
  );
  const method = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('GET', 'POST') },
    { weight: 2, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'FOO') },
  );

  // Well-aimed requests (the right method and route, a body of the right shape with wrong parts)
  // get past routing and parsing into validation, throttling, credentials and checksums.
  const postbackPath = tenantSegment.map((t) => `/postbacks/kite/${t}`);
  const aimed = fc.oneof(
    fc.record({
      method: fc.constant('POST'),
      path: fc.constant('/api/v1/auth/login'),
      headers,
      body: loginBody.map(json),
    }),
    fc.record({ method: fc.constant('POST'), path: postbackPath, headers, body: postbackBody.map(json) }),
    fc.record({ method: fc.constantFrom('GET', 'POST'), path: tenantPath, headers, body }),
    fc.record({
      method: fc.constant('POST'),
      path: fc.constantFrom('/api/v1/auth/invitations/accept', '/api/v1/auth/password-reset'),
      headers,
      body: redeemBody.map(json),
    }),
    fc.record({
      method: fc.constant('POST'),
      path: slugSegment.map((s) => `/t/${s}/api/v1/kill-switches/set`),
      headers,
      body: killSwitchBody.map(json),
    }),
    fc.record({
      method: fc.constant('GET'),
      path: fc.constant('/api/v1/auth/me'),
      headers,
      body: fc.constant(undefined),
    }),
    // Logout with anything but the run's own session (a real logout writes its revocation and audit row).
    fc.record({
      method: fc.constant('POST'),
      path: fc.constant('/api/v1/auth/logout'),
      headers: headers.filter((h) => !JSON.stringify(h).includes(ctx.token.split('.')[0]!)),
      body,
    }),
  );
  const anything = fc.record({ method, path, headers, body });
  return fc.oneof({ weight: 2, arbitrary: aimed }, { weight: 3, arbitrary: anything }).map((r): FuzzRequest => ({
    method: r.method,
    path: asTarget(r.path.startsWith('/') || r.path === '*' ? r.path : `/${r.path}`),
    headers: Object.fromEntries(
      Object.entries(r.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, asHeader(v)]])),
    ),
    body: r.body,
  }));
}

/** Runs fn while a worker polls every task queue of the namespace (so /readyz can be 200). */
async function withPollers(namespace: string, fn: () => Promise<void>): Promise<void> {
  const workers = await Promise.all(
    Object.values(TASK_QUEUES).map((taskQueue) =>
      testWorker({ namespace, taskQueue, activities: createWorkerIdentityActivities({ workerId: taskQueue }) }),
    ),
  );
  const runAll = (i: number): Promise<void> => (i === workers.length ? fn() : workers[i].runUntil(runAll(i + 1)));
  await runAll(0);
}

const oversized = (r: FuzzRequest) =>
  (r.body?.length ?? 0) > 256 * 1024 ||
  r.path.length + Object.entries(r.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0) > 15 * 1024;

/**
 * One request; its status. A keep-alive socket the server closed after answering an earlier
 * request (431, a method it cannot parse) fails the next request on it: that one is resent once
 * on a fresh connection, as an HTTP client does.
 */
function send(agent: http.Agent | false, port: number, r: FuzzRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: r.method,
        path: r.path,
        // Node sends a GET's body unframed unless told its length; the server would read it as the next request.
        headers: r.body ? { ...r.headers, 'content-length': String(r.body.length) } : r.headers,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', (e) => (req.reusedSocket ? send(false, port, r).then(resolve, reject) : reject(e)));
    req.end(r.body);
  });
}

describe('API fuzz: every route, real HTTP, real Postgres', () => {
  const admin = testPool('super');
  const app = testPool('app');
  let api: TestApi;
  let namespace: string;
  const log = memoryLog();
  let ctx: { tenantId: number; kiteTenantId: number; slug: string; token: string };

  beforeAll(async () => {
    const client = await testClient();
    // A namespace of its own: the fuzz runs pollers on its every task queue, so /readyz is honestly 200.
    namespace = await freshNamespace(client, 'fuzz');
    const slug = `fuzz-${process.pid}`;
    const tenantId = (await createTenant(app, { slug, name: 'Fuzz' })).id;
    await createUser(app, tenantId, { email: 'fuzz@fuzz.test', role: 'trader', password: 'the real password' });
    const kiteTenantId = (await createTenant(app, { slug: `fuzz-kite-${process.pid}`, name: 'Fuzz Kite' })).id;
    await withTenant(app, kiteTenantId, (tx) => saveKiteAccount(tx, testKeys(), {}, KITE_SECRET));
    const token = issueSession(SECRET, { userId: 1, tenantId, role: 'trader' });
    ctx = { tenantId, kiteTenantId, slug, token };
    api = await startTestApi({ pool: app, client, namespace, log: log.logger, sessionSecret: SECRET });
  });
  afterAll(async () => {
    await api?.close();
    // The fuzz's failures and request counts must not throttle later tests.
    await admin.query('DELETE FROM login_throttle');
    await admin.query('DELETE FROM api_rate_limits');
  });

  it(`answers ${REQUESTS} random requests with no 5xx, no error log and no audit row`, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const requests = fc.sample(requestArbitrary(ctx), { numRuns: REQUESTS, seed });
    const audit = async () => (await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
    const auditBefore = await audit();
    const port = (api.server.address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const statuses = new Map<number, number>();
    const faults: string[] = [];
    const unanswered: string[] = [];
    const describe = (r: FuzzRequest) =>
      `${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(r.headers).slice(0, 300)} ` +
      `body=${r.body?.toString('utf8').slice(0, 300) ?? '(none)'}`;

    const started = performance.now();
    const run = async () => {
      let next = 0;
      const lane = async () => {
        for (let i = next++; i < requests.length; i = next++) {
          const r = requests[i];
          try {
            const status = await send(agent, port, r);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status >= 500) faults.push(`${status} ${describe(r)}`);
          } catch (e) {
            // Node itself answers 431 and closes the connection for headers over 16 KiB, the app 413
            // for a body over 256 kB; the client may see the close before the answer.
            if (!oversized(r)) unanswered.push(`${(e as Error).message}: ${describe(r)}`);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    };
    await withPollers(namespace, run);
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();

    const byStatus = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    console.log(
      `API fuzz (FUZZ_SEED=${seed}): ${REQUESTS} requests in ${seconds.toFixed(1)} s ` +
        `(${(REQUESTS / seconds).toFixed(0)}/s); statuses ${byStatus.join(' ')}`,
    );
    expect(faults).toEqual([]);
    expect(unanswered).toEqual([]);
    // Every route was reached, not only the 404 handler.
    for (const s of [200, 400, 401, 403, 404, 413, 415, 429]) expect(statuses.get(s) ?? 0).toBeGreaterThan(0);
    expect(await audit()).toBe(auditBefore);
    expect(log.lines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([]);
    expect(log.lines.filter((l) => l.stack || l.err?.stack)).toEqual([]);
  });

  it('a server fault is a 500 logged at error with its stack (a database that does not answer)', async () => {
    const broken = createPool('postgres://qs_app:x@127.0.0.1:1/nothing');
    const faultLog = memoryLog();
    const s = await startTestApi({ pool: broken, namespace, log: faultLog.logger, sessionSecret: SECRET });
    try {
      const url = s.url;
      const res = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant: ctx.slug, email: 'fuzz@fuzz.test', password: 'whatever' }),
      });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        code: 'internal_error',
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const errors = faultLog.lines.filter((l) => l.level === 50);
      expect(errors).toHaveLength(1);
      expect(errors[0].err?.stack).toMatch(/ECONNREFUSED/);
    } finally {
      await s.close();
      await broken.end();
    }
  });
});
