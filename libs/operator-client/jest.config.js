module.exports = { ...require('../../jest.preset.js'), displayName: 'operator-client', rootDir: __dirname };
