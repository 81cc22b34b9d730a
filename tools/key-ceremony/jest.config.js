module.exports = { ...require('../../jest.preset.js'), displayName: 'key-ceremony', rootDir: __dirname };
