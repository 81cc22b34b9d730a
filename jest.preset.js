// Shared Jest settings: every project runs TypeScript through ts-jest (CommonJS)
// and resolves the @myna/* libraries straight from their sources. Every test file
// first waits for @myna/codes' group backend (libsodium's WebAssembly) to load.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.spec.json'), diagnostics: { warnOnly: false } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    // The tools' own libraries (tools/<name>), then the shared ones (libs/<name>).
    '^@myna-tools/(.*)$': path.join(__dirname, 'tools/$1/src/index.ts'),
    '^@myna/(.*)$': path.join(__dirname, 'libs/$1/src/index.ts'),
  },
  setupFiles: [path.join(__dirname, 'libs/codes/jest/group-ready.setup.ts')],
  testMatch: ['**/?(*.)+(spec|integration-spec|e2e-spec).ts'],
  testTimeout: 60000,
};
