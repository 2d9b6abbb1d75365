import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeShipStation } from '@shipbatch/providers/shipstation/testing';
import { startFakeShippo } from '@shipbatch/providers/shippo/testing';
import { eventually, tempDir } from '@shipbatch/platform/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded } from './harness';
import { checkedFetch } from './openapi-check';
import { WebhookReceiver } from './webhook-receiver';

const ROOT = join(__dirname, '../../..');
const PROGRAM = join(__dirname, 'typed-client/walkthrough.program.ts');

/** What the spec reads of the program's result (the program itself is typed by the generated types). */
interface Label {
  label_id: string;
  status: string;
  carrier_id: string;
  external_shipment_id: string | null;
}
interface WalkthroughResult {
  batch: { object_id: string; object_status: string; object_results: Record<string, number> };
  label: Label;
  labels: Label[];
  shipment: { address_from: { street1: string } | null };
  webhook: { secret?: string };
  removed: string[];
  accounts: Array<{ object_id: string; provider: string }>;
}
interface Program {
  runWalkthrough(options: {
    baseUrl: string;
    key: string;
    shipstation: { apiKey: string; carrierId: string };
    shippo: { token: string; carrierAccount: string };
    webhookUrl: string;
    order: string;
    fetch: (input: Request) => Promise<Response>;
    log: (line: string) => void;
  }): Promise<WalkthroughResult>;
}

/** Runs a command without blocking this process's event loop (the service under test runs in it). */
function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/**
 * A client generated from /docs-json with a real generator (openapi-typescript, types only; the
 * calls through openapi-fetch) must express the README walk-through: typechecked with
 * `tsc --strict`, with no casts (the program has none, and `any` cannot reach it: the types come
 * from the document alone), then run against the service. The generated types go to a temp
 * folder, not the repository: the document is built at run time (servers, the routes that are on,
 * the runtime's currency list), so a committed copy would be one machine's.
 */
describe('a typed client generated from /docs-json (openapi-typescript + openapi-fetch)', () => {
  let h: Harness;
  let receiver: WebhookReceiver;
  let shipstation: Awaited<ReturnType<typeof startFakeShipStation>>;
  let shippo: Awaited<ReturnType<typeof startFakeShippo>>;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    shipstation = await startFakeShipStation({ rateLimitPerMinute: 600 });
    shippo = await startFakeShippo();
    h = await startEmbedded({ env: { SHIPSTATION_BASE_URL: shipstation.url, SHIPPO_BASE_URL: shippo.url, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
  });

  afterAll(async () => {
    await h?.close();
    await shipstation?.close();
    await shippo?.close();
    await receiver?.close();
  });

  it('typechecks the walk-through program with tsc --strict against the generated types', async () => {
    const dir = tempDir('typed-client-');
    const res = await fetch(`${h.baseUrl}/docs-json`);
    expect(res.status).toBe(200);
    writeFileSync(join(dir, 'docs.json'), await res.text());
    // --default-non-nullable false: a field with a default stays optional in request bodies (the generator's default makes it required).
    const generated = await run(['node_modules/openapi-typescript/bin/cli.js', join(dir, 'docs.json'), '--default-non-nullable', 'false', '-o', join(dir, 'schema.d.ts')]);
    if (generated.code !== 0) throw new Error(`openapi-typescript exited ${generated.code}:\n${generated.output}`);
    copyFileSync(PROGRAM, join(dir, 'walkthrough.program.ts'));
    const modules = join(ROOT, 'node_modules');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'es2022',
          module: 'commonjs',
          moduleResolution: 'node',
          esModuleInterop: true,
          lib: ['es2022', 'dom'],
          types: [],
          baseUrl: '.',
          paths: {
            'openapi-fetch': [join(modules, 'openapi-fetch/dist/index.d.cts')],
            'openapi-typescript-helpers': [join(modules, 'openapi-typescript-helpers/index.d.cts')],
          },
        },
        files: ['walkthrough.program.ts'],
      }),
    );
    const checked = await run(['node_modules/typescript/bin/tsc', '-p', join(dir, 'tsconfig.json')]);
    expect({ code: checked.code, output: checked.output }).toEqual({ code: 0, output: '' });
  });

  it('runs the walk-through program: ids and inline objects, a carrier account of each provider, webhooks', async () => {
    const anon = new Client(h.baseUrl);
    const key = (await anon.post('/admin/tenants', { name: 'typed-client' }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key as string;
    const apiKey = `TEST_${randomUUID()}`;
    const carrierId = `se-${Math.floor(Math.random() * 1e9)}`;
    shipstation.addAccount({ apiKey, carriers: [{ carrierId, carrierCode: 'stamps_com', balance: 1000 }] });
    const token = `shippo_test_${randomUUID().replace(/-/g, '')}`;
    const carrierAccount = randomUUID().replace(/-/g, '');
    shippo.addAccount({ token, carrierAccounts: [{ objectId: carrierAccount, carrier: 'usps' }] });

    // Loaded by path: its `./schema` exists only where the first test generated it (types only, erased when run).
    const program = (await import(PROGRAM)) as Program;
    const lines: string[] = [];
    const result = await program.runWalkthrough({
        baseUrl: h.baseUrl,
        key,
        shipstation: { apiKey, carrierId },
        shippo: { token, carrierAccount },
        webhookUrl: `${receiver.url}/typed`,
        order: `order-${Date.now()}`,
        // Every answer the program gets is also checked against /docs-json.
        fetch: checkedFetch(h.baseUrl),
        log: (line) => lines.push(line),
      });
    expect(result.batch.object_status).toBe('PURCHASED');
    // Only the shipment without a zip failed validation (the program logged why each failed).
    expect({ removed: result.removed.length, failed: lines.filter((l) => l.startsWith('failed')) }).toEqual({ removed: 1, failed: [expect.stringMatching(/zip/i)] });
    expect(result.batch.object_results).toMatchObject({ purchase_succeeded: 4, purchase_failed: 0 });
    expect(result.accounts.map((a) => a.provider)).toEqual(['mock', 'shipstation', 'shippo']);
    // One label through each provider's account.
    expect(new Set(result.labels.map((l) => l.carrier_id))).toEqual(new Set(result.accounts.map((a) => a.object_id)));
    expect(result.label).toMatchObject({ status: 'completed', external_shipment_id: expect.stringMatching(/^order-/) });
    expect(result.shipment.address_from).toMatchObject({ street1: '215 Clayton St.' });
    expect(result.webhook.secret).toMatch(/^whsec_/);
    // The webhook hears of it: batch_purchased, signed, about this batch.
    const heard = await eventually(
      async () => receiver.received.filter((r) => r.body?.event === 'batch_purchased'),
      (found) => found.length > 0,
    );
    expect(heard[0].body.data.object_id).toBe(result.batch.object_id);
  });
});
