#!/usr/bin/env node
// npm run demo-key [-- <tenant id or name>]   (embedded mode; default tenant: demo)
// Revokes every API key of the tenant and prints one new key, once. Works with the service
// running (it asks the service, over loopback, with the token in DATA_DIR/service.json) and
// stopped (it opens DATA_DIR's database itself). Reads DATA_DIR like the service (default ./.data).
// Runs the compiled code in dist/out-tsc (npm run demo-key builds it first when sources changed).
const path = require('node:path');
const tsconfigPaths = require('tsconfig-paths');
const base = require('../../tsconfig.base.json');

tsconfigPaths.register({ baseUrl: path.resolve(__dirname, '../../dist/out-tsc'), paths: base.compilerOptions.paths });
require('reflect-metadata');
// Opening the database logs through Nest; keep the output to the answer (and problems).
require('@nestjs/common').Logger.overrideLogger(['error', 'warn']);
const { replaceKey } = require('@shipbatch/platform/auth');

const tenant = process.argv[2] || 'demo';
replaceKey(process.env, tenant).then(
  ({ tenant: t, apiKey, revoked, via }) => {
    const how = via === 'service' ? 'by the running service' : 'in the data directory (service stopped)';
    console.log(`tenant '${t.name}' (${t.id}): ${revoked} old key(s) revoked ${how}; its new API key (shown once):`);
    console.log(apiKey);
  },
  (error) => {
    console.error(`demo-key: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
