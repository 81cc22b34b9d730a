// Runs the libs/codes suite a second time on the reference backend (see jest.config.js).
process.env.MYNA_GROUP_BACKEND = 'noble';
