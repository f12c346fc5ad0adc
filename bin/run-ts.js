#!/usr/bin/env node
// Runs a TypeScript entrypoint from source (dev, tests, benchmarks): `node bin/run-ts.js file.ts args…`.
'use strict';
require('@swc-node/register');
const path = require('node:path');
const [, , entry, ...rest] = process.argv;
if (!entry) {
  console.error('usage: run-ts <file.ts> [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...rest];
require(path.resolve(entry));
