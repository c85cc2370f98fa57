// Conformance tests of the CDC emulation. They need the engine running: ./ctl.sh start (see README.md).
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': '@swc/jest' },
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  testTimeout: 30000,
};
