#!/usr/bin/env node
// Makes the embedded database's data directory template (node_modules/.cache/shipbatch) if the
// installed PGlite has none yet, so that a service starting on an empty DATA_DIR copies it
// instead of running initdb (see libs/platform/database/src/lib/embedded-template.ts).
// tools/scripts/build.js runs it after compiling; it needs the compiled code in dist/out-tsc.
// With DATABASE_URL set (scale-out: `npm run start:api`, `npm run start:worker`) there is no
// embedded database to prepare: it does nothing and says nothing.
const path = require('node:path');

if (process.env.DATABASE_URL) process.exit(0);

const tsconfigPaths = require('tsconfig-paths');
const base = require('../../tsconfig.base.json');

const dist = path.resolve(__dirname, '../../dist/out-tsc');
tsconfigPaths.register({ baseUrl: dist, paths: base.compilerOptions.paths });
// The module alone, not the library's index (which loads TypeORM and Nest).
const { prepareEmbeddedTemplate } = require(path.join(dist, 'libs/platform/database/src/lib/embedded-postgres.js'));

const started = Date.now();
prepareEmbeddedTemplate().then(
  (dir) => {
    if (dir) console.log(`build: embedded database template ready (${path.relative(process.cwd(), dir)}, ${Date.now() - started} ms)`);
    else console.log('build: node_modules is read-only; an empty DATA_DIR gets its own initdb');
  },
  (error) => {
    // Not fatal: without a template the service runs initdb for a new data directory itself.
    console.error(`build: no embedded database template: ${error instanceof Error ? error.message : error}`);
  },
);
