// The suite runs once per ristretto255 backend: libsodium (the default) and noble (the reference).
const preset = require('../../jest.preset.js');

module.exports = {
  projects: [
    { ...preset, displayName: 'codes', rootDir: __dirname },
    {
      ...preset,
      displayName: 'codes (noble)',
      rootDir: __dirname,
      setupFiles: [`${__dirname}/jest/noble-backend.setup.ts`, ...preset.setupFiles],
      // That file compares both backends itself, whichever group.ts runs on.
      testPathIgnorePatterns: ['/node_modules/', 'group-backends\\.spec\\.ts$'],
    },
  ],
};
