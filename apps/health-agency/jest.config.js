module.exports = { ...require('../../jest.preset.js'), displayName: 'health-agency', rootDir: __dirname };
