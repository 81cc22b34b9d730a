module.exports = { ...require('../../jest.preset.js'), displayName: 'code-issuer', rootDir: __dirname };
