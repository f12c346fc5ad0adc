// Three projects: unit (pure code, parallel), integration (real Temporal + Postgres started once
// per run, in band), replay (committed histories against the current workflow code).
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
const common = {
  transform: { '^.+\\.ts$': swc },
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/', '<rootDir>/.tools/'],
};
module.exports = {
  testTimeout: 120_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/', '<rootDir>/dist/'],
    },
    {
      ...common,
      displayName: 'integration',
      setupFiles: ['<rootDir>/test/support/quiet-temporal.ts'],
      // test/browser: the dashboard in headless Chromium, on the same servers.
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/browser/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'replay',
      setupFiles: ['<rootDir>/test/support/quiet-temporal.ts'],
      testMatch: ['<rootDir>/test/replay/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/bundle-setup.ts',
    },
  ],
};
