module.exports = { ...require('../../jest.preset.js'), displayName: 'federation-tests', rootDir: __dirname };
