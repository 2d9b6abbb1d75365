module.exports = {
  displayName: 'api-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // The fault tests run with `npm run test:faults` (jest.faults.config.cjs).
  testPathIgnorePatterns: ['\\.faults\\.spec\\.ts$'],
  // Each file starts whole applications (and, for scale-out, a database and a Redis prefix).
  maxWorkers: 1,
  testTimeout: 180_000,
};
