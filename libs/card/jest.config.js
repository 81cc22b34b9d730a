module.exports = { ...require('../../jest.preset.js'), displayName: 'card', rootDir: __dirname };
