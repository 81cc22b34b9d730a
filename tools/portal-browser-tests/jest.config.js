// One federation of real service processes and one headless Chromium for the whole suite.
module.exports = { ...require('../../jest.preset.js'), displayName: 'portal-browser-tests', rootDir: __dirname, testTimeout: 60000 };
