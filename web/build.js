#!/usr/bin/env node
// Builds the dashboard into web/dist/app, which the API serves at /app/ (pages at / and /t/<slug>/):
//   1. the API's OpenAPI document, made from its route table (no server, no database), and
//      TypeScript types from it (openapi-typescript) into web/dist/generated;
//   2. a type check of web/src against those types: a changed route breaks the build, not the page;
//   3. Vite.
// `--if-stale` (npm start) does nothing when the built page is newer than every source it comes from.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const WEB = __dirname;
const ROOT = path.join(WEB, '..');
const OUT = path.join(WEB, 'dist', 'app');
const GENERATED = path.join(WEB, 'dist', 'generated');
/** What the built page depends on: its sources, its tools' configs and the API's route declarations. */
const SOURCES = ['src', 'index.html', 'vite.config.mjs', 'tsconfig.json', 'build.js'].map((p) => path.join(WEB, p));
SOURCES.push(path.join(ROOT, 'api'), path.join(ROOT, 'package-lock.json'));

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((e) => newestMtime(path.join(p, e))));
}

function isStale() {
  const built = newestMtime(path.join(OUT, 'index.html'));
  return built === 0 || SOURCES.some((s) => newestMtime(s) > built);
}

function writeOpenApiDocument(file) {
  require('@swc-node/register');
  const { Client, Connection } = require('@temporalio/client');
  const { createApp } = require('../api/app');
  const { createMetrics } = require('../api/metrics');
  const { createLogger } = require('../runtime/logger');
  const { createPool } = require('../db/client');
  const { openApiDocument } = require('../api/openapi');
  // Inert dependencies: building the routes connects to nothing.
  const pool = createPool('postgres://unused@127.0.0.1:1/unused');
  const app = createApp({
    pool,
    client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    namespace: 'unused',
    metrics: createMetrics(),
    log: createLogger('web-build', 'silent'),
    sessionSecret: 'x'.repeat(32),
  });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const doc = openApiDocument(app.routeTable);
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
  // Who may call what, as the API declares it: the page shows a control only to roles allowed to use it.
  const roles = {};
  for (const [p, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops))
      if (Array.isArray(op['x-roles'])) roles[`${method} ${p}`] = op['x-roles'];
  fs.writeFileSync(path.join(path.dirname(file), 'roles.json'), JSON.stringify(roles, null, 2));
  return pool.end();
}

const bin = (pkg, rel) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), rel);
const run = (script, args, stdio = 'inherit') =>
  execFileSync(process.execPath, [script, ...args], { cwd: ROOT, stdio });

async function build() {
  const doc = path.join(GENERATED, 'openapi.json');
  await writeOpenApiDocument(doc);
  // Its progress lines say nothing a build log needs; its errors still show.
  run(
    bin('openapi-typescript', 'bin/cli.js'),
    [doc, '-o', path.join(GENERATED, 'api.d.ts')],
    ['ignore', 'ignore', 'inherit'],
  );
  run(bin('typescript', 'bin/tsc'), ['--noEmit', '-p', path.join(WEB, 'tsconfig.json')]);
  run(bin('vite', 'bin/vite.js'), ['build', '--config', path.join(WEB, 'vite.config.mjs'), '--logLevel', 'warn']);
}

if (require.main === module) {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && !isStale()) process.exit(0);
  if (ifStale) console.log('building the dashboard (web/) …');
  build().then(
    () => process.exit(0),
    (err) => {
      console.error(`web build failed: ${err.message}`);
      // Starting the stack does not hinge on the page: the API answers without it (and says so at /).
      process.exit(ifStale ? 0 : 1);
    },
  );
}

module.exports = { isStale, build, OUT };
