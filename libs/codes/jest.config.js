module.exports = { ...require('../../jest.preset.js'), displayName: 'codes', rootDir: __dirname };
