// Shared jest preset: Nx's preset (tsconfig path resolver) with SWC for speed.
// SWC keeps decorator metadata, which NestJS and TypeORM need.
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  // Node's environment, which also removes the temp folders a spec file made with tempDir()
  // (@shipbatch/platform/testing) once the file is done.
  testEnvironment: require.resolve('./jest.environment.js'),
  // A bound against hangs, not a speed check: embedded PostgreSQL (PGlite) can take seconds to
  // start on a busy 2-core machine.
  testTimeout: 60_000,
  transform: {
    '^.+\\.[tj]s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  // request-filtering-agent 3 (used by @shipbatch/platform/webhooks) ships ES modules only. Node
  // 20 require()s it natively, Jest before Node 24.9 cannot: SWC compiles that one package.
  transformIgnorePatterns: ['/node_modules/(?!request-filtering-agent/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageReporters: ['text-summary'],
};
