// `npm run test:faults`: the fault tests (Redis and PostgreSQL restarted mid-purchase), on a
// PostgreSQL cluster and a redis-server each run starts itself. A few minutes: kept out of `npm test`.
module.exports = {
  displayName: 'api-e2e-faults',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.faults.spec.ts'],
  maxWorkers: 1,
  testTimeout: 180_000,
};
