module.exports = { ...require('../../jest.preset.js'), displayName: 'tax-agency', rootDir: __dirname };
