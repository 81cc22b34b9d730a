module.exports = { ...require('../../jest.preset.js'), displayName: 'compose-checks', rootDir: __dirname };
