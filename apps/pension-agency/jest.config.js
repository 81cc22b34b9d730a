module.exports = { ...require('../../jest.preset.js'), displayName: 'pension-agency', rootDir: __dirname };
