// Shared Jest setup: TypeScript through SWC (no type-check at test time: `pnpm typecheck` does that),
// workspace packages resolved to their sources so a test never runs against a stale build.
const path = require('node:path');

const workspacePackages = {
  '@scylla-es/es-core': 'packages/es-core/src',
  '@scylla-es/domain': 'packages/domain/src',
  '@scylla-es/schema': 'schema/src',
};

module.exports = function jestConfig(packageDir, overrides = {}) {
  const moduleNameMapper = {};
  for (const [name, dir] of Object.entries(workspacePackages)) {
    moduleNameMapper[`^${name}$`] = path.join(__dirname, dir);
    moduleNameMapper[`^${name}/(.*)$`] = path.join(__dirname, dir, '$1');
  }
  return {
    rootDir: packageDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
      ],
    },
    moduleNameMapper,
    globalSetup: path.join(__dirname, 'packages/es-core/src/testing/global-setup.ts'),
    globalTeardown: path.join(__dirname, 'packages/es-core/src/testing/global-teardown.ts'),
    testTimeout: 60_000,
    // A client left open by a failed test must not keep CI waiting until its time runs out.
    forceExit: true,
    ...overrides,
  };
};
