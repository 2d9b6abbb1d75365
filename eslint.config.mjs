import nx from '@nx/eslint-plugin';

// Library boundaries, enforced at `error`. Every project carries one `type:*` and one `scope:*` tag.
// The providers layer: `provider-core` (the port), `provider-adapter` (one library a provider: imports only the core, so
// one adapter cannot reach into another), `provider-registry` (the core and the adapters) and `provider-infrastructure`
// (the service's implementations of the core's runtime ports over the platform: SQL client, pacer).
const banForDomain = ['@nestjs/*', 'typeorm', 'bullmq', 'axios', 'class-validator', 'class-transformer', 'ioredis', 'pg'];
const banForProvider = ['@nestjs/*', 'typeorm', 'bullmq', 'prom-client'];
// Use cases reach PDFs, threads, SQL and HTTP only through ports.
const banForApplication = ['@cantoo/pdf-lib', 'typeorm', 'pg', 'axios', 'prom-client'];
// Platform libraries any layer above them may use: the queue, webhook sending, config and ids.
const platform = ['type:queue', 'type:webhooks', 'type:util'];
// What code outside the providers layer may import of it: the port and models, the registry, the runtime implementations.
const providers = ['type:provider-core', 'type:provider-registry', 'type:provider-infrastructure'];
const banForPresentation = ['typeorm', 'bullmq', '@nestjs/bullmq', 'ioredis', 'pg', 'class-validator', 'class-transformer', 'express', '@nestjs/platform-express'];

const depConstraints = (inSpecs) => {
  // Spec files (and an adapter's `testing` entry point) may also use the testing libraries...
  const t = inSpecs ? ['type:testing'] : [];
  // ...and, outside the providers layer, the adapters (their definitions and fakes) and the registry.
  const adapters = inSpecs ? ['type:provider-adapter', 'type:provider-registry'] : [];
  // A data-access spec may run a use case over real infrastructure (the merge over pdf-lib).
  const specOnly = inSpecs ? ['type:infrastructure'] : [];
  return [
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:composition', 'type:observability', 'type:feature', 'type:worker', 'type:presentation', 'type:application', 'type:domain', 'type:data-access', 'type:infrastructure', ...providers, ...platform, ...t, ...adapters] },
    { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:app', 'type:composition', 'type:observability', 'type:feature', 'type:worker', 'type:presentation', 'type:application', 'type:domain', 'type:data-access', 'type:infrastructure', ...providers, 'type:provider-adapter', ...platform, 'type:testing'] },
    // The composition root wires every layer into the two processes (API, worker); nothing imports it but the apps.
    { sourceTag: 'type:composition', onlyDependOnLibsWithTags: ['type:feature', 'type:observability', 'type:worker', 'type:presentation', 'type:application', 'type:domain', 'type:data-access', 'type:infrastructure', ...providers, ...platform, ...t, ...adapters] },
    { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:presentation', 'type:application', 'type:domain', 'type:data-access', ...providers, ...platform, ...t, ...adapters] },
    // The worker library (queue processors): never the HTTP API (`type:feature`) nor data access (the composition wires it); it renders through `type:presentation`.
    { sourceTag: 'type:worker', onlyDependOnLibsWithTags: ['type:presentation', 'type:application', 'type:domain', 'type:provider-core', ...platform, ...t, ...adapters] },
    // Presenters, their OpenAPI schemas and the webhook object renderer: records in, public JSON out; no HTTP plumbing, no database.
    { sourceTag: 'type:presentation', onlyDependOnLibsWithTags: ['type:presentation', 'type:application', 'type:domain', 'type:provider-core', ...platform, ...t, ...adapters], bannedExternalImports: banForPresentation },
    // The application defines ports (LabelMerger, FileStorage, repositories); what implements them is infrastructure or data-access.
    { sourceTag: 'type:application', onlyDependOnLibsWithTags: ['type:application', 'type:domain', 'type:provider-core', ...platform, ...t, ...adapters], bannedExternalImports: banForApplication },
    // Infrastructure behind the application's ports (the PDF label merger): never the HTTP or worker layers.
    { sourceTag: 'type:infrastructure', onlyDependOnLibsWithTags: ['type:application', 'type:domain', 'type:provider-core', ...platform, ...t] },
    { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:application', 'type:domain', ...providers, ...platform, ...t, ...adapters, ...specOnly] },
    { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: banForDomain },
    // Metrics and health probes (prom-client): only the composition wires them; they read the queue's depth and nothing of shipping or the providers.
    { sourceTag: 'type:observability', onlyDependOnLibsWithTags: ['type:queue', 'type:util', ...t] },
    { sourceTag: 'type:provider-core', onlyDependOnLibsWithTags: [...t], bannedExternalImports: banForProvider },
    { sourceTag: 'type:provider-adapter', onlyDependOnLibsWithTags: ['type:provider-core', ...t], bannedExternalImports: banForProvider },
    { sourceTag: 'type:provider-registry', onlyDependOnLibsWithTags: ['type:provider-core', 'type:provider-adapter', ...t], bannedExternalImports: banForProvider },
    // Where Nest and TypeORM meet the core's ports, so no banned imports; no adapter either.
    { sourceTag: 'type:provider-infrastructure', onlyDependOnLibsWithTags: ['type:provider-core', 'type:queue', 'type:data-access', 'type:util', ...t] },
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:provider-core', 'type:domain', 'type:util', 'type:data-access'] },
    { sourceTag: 'type:queue', onlyDependOnLibsWithTags: ['type:util', ...t] },
    { sourceTag: 'type:webhooks', onlyDependOnLibsWithTags: ['type:util', ...t] },
    { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', ...t] },
    { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: [] },
    { sourceTag: 'scope:providers', onlyDependOnLibsWithTags: ['scope:providers', 'scope:platform'] },
    // Platform is the bottom layer: it implements no port of the providers (providers/runtime does).
    { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:platform'] },
    { sourceTag: 'scope:shipping', onlyDependOnLibsWithTags: ['scope:shipping', 'scope:providers', 'scope:platform'] },
    { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:shipping', 'scope:providers', 'scope:platform', 'scope:app'] },
  ];
};

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/.data', '**/.nx', 'tools/scripts/*.js', 'jest.preset.js', 'jest.environment.js', '**/jest.config.cjs'],
  },
  {
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: true, allow: [], depConstraints: depConstraints(false) }],
    },
  },
  {
    // Spec files, and an adapter's `testing` entry point (its fake server, built on the kit), may use the testing libraries.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'libs/providers/*/src/testing/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: true, allow: [], depConstraints: depConstraints(true) }],
    },
  },
  {
    // An adapter's `testing` entry point (@shipbatch/providers/<p>/testing) lives in a `type:provider-adapter` library, so the tags
    // above do not keep it out of production code: only spec files, the e2e app, tools/bench and the testing code may import it.
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'apps/api-e2e/**', 'tools/bench/**', 'libs/*/testing/**', 'libs/providers/*/src/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@shipbatch/providers/*/testing', '@shipbatch/providers/*/testing/**', './testing', './testing/**', '../testing', '../testing/**', '../../testing', '../../testing/**'],
              message: "An adapter's testing entry point (its fake server) is for spec files, the e2e app and tools/bench only.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    // Specs make temp folders with tempDir() (@shipbatch/platform/testing), which removes them after the file.
    files: ['**/*.spec.ts'],
    ignores: ['libs/platform/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:fs', importNames: ['mkdtempSync', 'mkdtemp'], message: 'Use tempDir() from @shipbatch/platform/testing: it is removed after the spec file.' },
            { name: 'fs', importNames: ['mkdtempSync', 'mkdtemp'], message: 'Use tempDir() from @shipbatch/platform/testing: it is removed after the spec file.' },
          ],
        },
      ],
    },
  },
  {
    // One exported class per file, named after it (docs/architecture.md); an error family may share one `*.errors.ts`.
    files: ['libs/**/*.ts', 'apps/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/*.errors.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Program > ExportNamedDeclaration[declaration.type="ClassDeclaration"] ~ ExportNamedDeclaration[declaration.type="ClassDeclaration"]',
          message: 'One exported class per file, named after it (an error family may share one *.errors.ts).',
        },
      ],
    },
  },
  {
    // Settings are read and validated once, in AppConfig (@shipbatch/platform/config), never from process.env elsewhere.
    files: ['libs/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      'libs/*/testing/**',
      'libs/providers/*/src/testing/**',
      'libs/platform/config/**',
      // They pass the environment on to a child process (PostgreSQL's tools), reading no setting.
      'libs/platform/database/src/lib/embedded-postgres.ts',
      'libs/platform/database/src/lib/process-identity.ts',
      // NO_COLOR (no-color.org) also colours the line that says the configuration could not be loaded.
      'libs/app/composition/src/lib/logging.ts',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings in AppConfig (@shipbatch/platform/config): once, validated, documented in the README.' },
      ],
    },
  },
  {
    // The worker process starts from the composition's worker entry point, which never loads the HTTP library.
    files: ['apps/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@shipbatch/app/composition', message: 'A worker imports @shipbatch/app/composition/worker: the full entry point loads the HTTP API.' }] },
      ],
    },
  },
  {
    // The e2e client reads JSON answers as a client would: loosely typed.
    files: ['apps/api-e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];
