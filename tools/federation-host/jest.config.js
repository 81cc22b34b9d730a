module.exports = { ...require('../../jest.preset.js'), displayName: 'federation-host', rootDir: __dirname };
