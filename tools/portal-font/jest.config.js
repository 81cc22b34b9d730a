module.exports = { ...require('../../jest.preset.js'), displayName: 'portal-font', rootDir: __dirname };
