module.exports = { ...require('../../jest.preset.js'), displayName: 'agency', rootDir: __dirname };
