module.exports = {
  displayName: 'tools-scripts',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.spec.js'],
};
