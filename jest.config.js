// Jest configuration: one project per test tier.
// Tiers that need an external piece (a PostgreSQL server, Chromium) are left out with a
// visible notice when that piece is missing; under CI (CI=true or QM_REQUIRE_ALL_TIERS=1)
// a missing tier is an error instead, so CI can never pass by skipping.
const fs = require('node:fs');

const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
// `*.esm.ts` adapters load ESM-only packages (openid-client, oidc-provider) with a real
// dynamic import(), which jest serves under --experimental-vm-modules; swc must keep it.
const swcKeepImport = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs', ignoreDynamic: true } }];
const base = {
  transform: { '^.+\\.esm\\.ts$': swcKeepImport, '^.+\\.ts$': swc },
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

const requireAll = process.env.CI === 'true' || process.env.QM_REQUIRE_ALL_TIERS === '1';
const pgUrl = process.env.TEST_DATABASE_URL;
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const missing = [];

const projects = [
  { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
  {
    ...base,
    displayName: 'integration:pglite',
    testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    globalSetup: '<rootDir>/test/helpers/global-setup.ts',
    setupFiles: ['<rootDir>/test/helpers/env-pglite.ts'],
  },
];
projects.push({ ...base, displayName: 'system', testMatch: ['<rootDir>/test/system/**/*.test.ts'] });
if (pgUrl) {
  projects.push({
    ...base,
    displayName: 'integration:postgres',
    testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    globalSetup: '<rootDir>/test/helpers/global-setup.ts',
    setupFiles: ['<rootDir>/test/helpers/env-postgres.ts'],
  });
} else {
  missing.push('integration:postgres (set TEST_DATABASE_URL=postgres://… to run it)');
}
if (fs.existsSync(chromium)) {
  projects.push({
    ...base,
    displayName: 'e2e',
    testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
    globalSetup: '<rootDir>/test/helpers/global-setup.ts',
    setupFiles: ['<rootDir>/test/helpers/env-pglite.ts'],
  });
} else {
  missing.push(`e2e (no Chromium at ${chromium}; apt-get install chromium)`);
}

if (missing.length) {
  const msg = `\n*** Test tiers SKIPPED: ${missing.join('; ')} ***\n`;
  if (requireAll) throw new Error(`CI requires every test tier.${msg}`);
  process.stderr.write(msg + '\n');
}

// Two workers: most test time is spent waiting on another process (PostgreSQL, Chromium,
// Dovecot), so two files at a time use a 2-core CI machine better than jest's default (one).
// Timeouts are generous because two busy files share the cores; tests wait for states, not delays.
module.exports = { projects, testTimeout: 60000, maxWorkers: Number(process.env.JEST_MAX_WORKERS) || 2 };
