#!/usr/bin/env node
// Runs a compiled entry point from dist/out-tsc with the workspace's import aliases
// (@shipbatch/...) mapped onto the compiled libraries. Usage: node tools/scripts/run.js <path-in-dist>
const path = require('node:path');
const tsconfigPaths = require('tsconfig-paths');
const base = require('../../tsconfig.base.json');

const root = path.resolve(__dirname, '../..');
const outDir = path.join(root, 'dist/out-tsc');
tsconfigPaths.register({ baseUrl: outDir, paths: base.compilerOptions.paths });

const entry = process.argv[2];
if (!entry) {
  console.error('usage: node tools/scripts/run.js <entry relative to dist/out-tsc>');
  process.exit(2);
}
// The entry sees the command line as if node ran it directly: argv[1] is its own path.
const script = path.join(outDir, entry);
process.argv.splice(1, 2, script);
require(script);
