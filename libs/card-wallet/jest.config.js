module.exports = { ...require('../../jest.preset.js'), displayName: 'card-wallet', rootDir: __dirname };
