module.exports = { ...require('../../jest.preset.js'), displayName: 'exchange-hub', rootDir: __dirname };
