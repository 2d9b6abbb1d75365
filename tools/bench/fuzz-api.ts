/**
 * npm run fuzz:api — sends malformed requests to every route of the API and counts the answers.
 *
 * Reads /docs-json; for every operation (every method, path and query parameter, body) starts
 * from a valid request (tools fixtures: a tenant, a mock carrier account, a purchased and a
 * VALID batch, ...) and changes one thing at a time: wrong types, NUL bytes, lone surrogates,
 * JSON nested thousands deep, huge and non-positive numbers, huge strings, arrays of arrays,
 * nulls, removed and unknown fields, %00 and odd escapes in path ids, odd query parameters,
 * empty bodies and odd content types, one body over 32 MB; then `FUZZ_RANDOM` requests that
 * change two or three fields at once, drawn from `FUZZ_SEED`. The same seed sends the same
 * requests. Prints the requests sent, the answers by status, the 5xx (target 0), the 4xx not in
 * the error shape, the 400s that name no field, and the answers /docs-json does not describe.
 *
 * By default it starts the service embedded in this process (a throwaway DATA_DIR, removed at the
 * end); with BASE_URL it fuzzes a running service instead (ADMIN_TOKEN or FUZZ_API_KEY then say
 * how to get a tenant). A script that prints figures, never a test; runs from its TypeScript
 * source. Exits 1 when any 5xx was seen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiApp } from '@shipbatch/app/composition';
import { readDataDirHolder } from '@shipbatch/platform/database';
import { loadConfig } from '@shipbatch/platform/config';
import { buildCases, type OpenApiLike } from '../../apps/api-e2e/src/fuzz/fuzz-cases';
import { makeFixtures } from '../../apps/api-e2e/src/fuzz/fuzz-fixtures';
import { runFuzz, summarize } from '../../apps/api-e2e/src/fuzz/fuzz-runner';
import { checkAnswer } from '../../apps/api-e2e/src/openapi-check';
import { freePort } from './bench-support';

const SEED = Number(process.env['FUZZ_SEED'] ?? 19);
const RANDOM = Number(process.env['FUZZ_RANDOM'] ?? 500);
const SAMPLE = process.env['FUZZ_SAMPLE'] ? Number(process.env['FUZZ_SAMPLE']) : undefined;
const CONCURRENCY = Number(process.env['FUZZ_CONCURRENCY'] ?? 1);
const HUGE = process.env['FUZZ_HUGE'] !== 'false';
const EXAMPLES = Number(process.env['FUZZ_EXAMPLES'] ?? 30);
const ADMIN = 'fuzz-admin-token';


async function main() {
  let baseUrl = process.env['BASE_URL'];
  let adminToken = process.env['ADMIN_TOKEN'];
  let localToken: string | undefined;
  let close = async () => undefined as void;
  if (!baseUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'shipbatch-fuzz-'));
    const port = await freePort();
    const config = loadConfig(
      // Thousands of requests from one tenant and one address: no request limit (a running service's, with BASE_URL, applies).
      { DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN, PORT: String(port), WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', API_RATE_LIMIT_PER_MINUTE: '0' },
      { runWorkers: true, reconcileIntervalSeconds: 0 },
    );
    const app = await createApiApp(config, { logger: false });
    await app.listen(port, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${port}`;
    adminToken = ADMIN;
    localToken = readDataDirHolder(dataDir)?.token ?? undefined;
    close = async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
    console.log(`embedded service at ${baseUrl} (DATA_DIR ${dataDir})`);
  }
  try {
    const doc = (await (await fetch(`${baseUrl}/docs-json`)).json()) as OpenApiLike;
    const fixtures = await makeFixtures(baseUrl, { adminToken, tenantKey: process.env['FUZZ_API_KEY'] });
    const cases = buildCases(doc, { inputs: fixtures.inputs, seed: SEED, randomCases: RANDOM, sample: SAMPLE, hugeBody: HUGE });
    const operations = new Set(cases.map((c) => c.operation)).size;
    console.log(`seed ${SEED}: ${cases.length} requests over ${operations} operations of /docs-json`);
    let lastShown = 0;
    const report = await runFuzz(cases, {
      baseUrl,
      auth: { tenantKey: fixtures.tenantKey, adminToken, localToken },
      concurrency: CONCURRENCY,
      check: (method, url, status, body, contentType) => checkAnswer(method, url, status, body, { contentType, baseUrl }),
      onAnswer: (done, total) => {
        if (done - lastShown >= 500 || done === total) {
          lastShown = done;
          process.stderr.write(`  ${done}/${total}\n`);
        }
      },
    });
    console.log(summarize(report, EXAMPLES).join('\n'));
    process.exitCode = report.serverErrors.length > 0 ? 1 : 0;
  } finally {
    await close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
