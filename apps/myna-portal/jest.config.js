module.exports = { ...require('../../jest.preset.js'), displayName: 'myna-portal', rootDir: __dirname };
