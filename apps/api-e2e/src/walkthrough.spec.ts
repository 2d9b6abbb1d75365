import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { replaceKey } from '@shipbatch/platform/auth';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded } from './harness';

const ROOT = join(__dirname, '../../..');

/** Runs a command without blocking this process's event loop (the service under test runs in it). */
function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the README walk-through (docs/walkthrough.sh) against a running embedded service', () => {
  let h: Harness;
  let anon: Client;

  beforeAll(async () => {
    h = await startEmbedded();
    anon = new Client(h.baseUrl);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('replaces a lost key through the running service (npm run demo-key): the old key stops working', async () => {
    const created = await anon.post('/admin/tenants', { name: 'lost-key' }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(created.status).toBe(201);
    const lost = anon.withKey(created.body.api_key);
    expect((await lost.get('/batches')).status).toBe(200);

    const { dataDir } = h.api.get<AppConfig>(APP_CONFIG);
    const replaced = await replaceKey({ DATA_DIR: dataDir }, 'lost-key');
    expect(replaced).toMatchObject({ via: 'service', revoked: 1, tenant: { id: created.body.tenant_id, name: 'lost-key' } });
    expect((await lost.get('/batches')).status).toBe(401);
    expect((await anon.withKey(replaced.apiKey).get('/batches')).status).toBe(200);

    // By id too; the service's answer names an unknown tenant.
    const again = await replaceKey({ DATA_DIR: dataDir }, created.body.tenant_id);
    expect(again).toMatchObject({ via: 'service', revoked: 1 });
    expect((await anon.withKey(replaced.apiKey).get('/batches')).status).toBe(401);
    await expect(replaceKey({ DATA_DIR: dataDir }, 'nobody')).rejects.toThrow(/answered 404: no tenant has the id or name 'nobody'/);

    // The local route wants the token of DATA_DIR/service.json.
    expect((await anon.post('/local/api_keys', { tenant: 'demo' }, { Authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('runs docs/walkthrough.sh to a PURCHASED batch', async () => {
    const { body } = await anon.post('/admin/tenants', { name: 'walkthrough' }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    const result = await run('bash', ['docs/walkthrough.sh'], { BASE_URL: h.baseUrl, KEY: body.api_key, WAIT_SECONDS: '120' });
    if (result.code !== 0) throw new Error(`walkthrough.sh exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
    expect(result.stdout).toMatch(/batch \S+ validated: INVALID/);
    expect(result.stdout).toMatch(/batch \S+ is VALID/);
    expect(result.stdout).toContain('"object_status": "PURCHASED"');
    // The label, looked up by the external_shipment_id the script gave its shipment.
    expect(result.stdout).toMatch(/"status": "completed",\s+"tracking_number": "\S+",\s+"external_shipment_id": "order-\d+-\d+"/);
    expect(result.stdout).toMatch(/batch \S+ PURCHASED\s*$/);
  });

  it('fails with a clear message when the key is wrong', async () => {
    const result = await run('bash', ['docs/walkthrough.sh'], { BASE_URL: h.baseUrl, KEY: 'sb_not-a-key', WAIT_SECONDS: '5' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('POST /carrier_accounts answered 401');
  });
});
