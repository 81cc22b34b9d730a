module.exports = { ...require('../../jest.preset.js'), displayName: 'card-reader', rootDir: __dirname };
