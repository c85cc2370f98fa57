// Shared Jest setup: TypeScript through SWC (no type-check at test time: `pnpm typecheck` does that),
// workspace packages resolved to their sources so a test never runs against a stale build.
const path = require('node:path');

// Each package maps its root and the subpaths its package.json exports, and nothing deeper: a test then imports
// exactly what a service can, and a deep import fails here as it fails the build.
const workspacePackages = {
  '@scylla-es/es-core': { dir: 'packages/es-core/src', subpaths: ['cql', 'cdc', 'kafka', 'service', 'testing'] },
  '@scylla-es/domain': { dir: 'packages/domain/src', subpaths: [] },
  '@scylla-es/schema': { dir: 'schema/src', subpaths: [] },
};

module.exports = function jestConfig(packageDir, overrides = {}) {
  const moduleNameMapper = {};
  for (const [name, { dir, subpaths }] of Object.entries(workspacePackages)) {
    moduleNameMapper[`^${name}$`] = path.join(__dirname, dir);
    for (const subpath of subpaths) moduleNameMapper[`^${name}/${subpath}$`] = path.join(__dirname, dir, subpath);
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
