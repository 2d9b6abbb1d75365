import type { NestExpressApplication } from '@nestjs/platform-express';
import { Writable } from 'node:stream';
import request from 'supertest';
import { loadConfig } from '@shipbatch/platform/config';
import { eventually, tempDir } from '@shipbatch/platform/testing';
import { createApiApp } from './create-api-app';

const ADMIN_TOKEN = 'logging-spec-admin-token';
const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: 2, mass_unit: 'lb' };
// ESC, which starts every ANSI colour code.
const ESC = String.fromCharCode(27);

/**
 * The whole API app (embedded: PGlite and the in-process queue) with its log written to a stream
 * that is not a terminal, driven over HTTP as a client would.
 */
describe('the API app writes JSON log lines, with ids and without secrets', () => {
  const chunks: string[] = [];
  const printed: string[] = [];
  let app: NestExpressApplication;
  let apiKey: string;
  let auth: string;
  let batchId: string;
  let webhookSecret: string;

  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '');
  const entries = () => lines().map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    // The demo tenant's key goes to console.log on purpose (a person reads it); keep it for the checks.
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    const stream = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const config = loadConfig(
      { DATA_DIR: tempDir('shipbatch-logging-'), ADMIN_TOKEN, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '100' },
      { runWorkers: true, reconcileIntervalSeconds: 0 },
    );
    app = await createApiApp(config, { logStream: stream });
    await app.init();
    const http = () => request(app.getHttpServer());

    const tenant = await http().post('/admin/tenants').set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({ name: 'acme' });
    expect(tenant.status).toBe(201);
    apiKey = tenant.body.api_key;
    auth = `ShippoToken ${apiKey}`;

    const hook = await http()
      .post('/webhooks')
      .set('Authorization', auth)
      .send({ url: 'http://127.0.0.1:9/hooks', event: 'all', is_test: true });
    expect(hook.status).toBe(201);
    webhookSecret = hook.body.secret;

    const account = await http()
      .post('/carrier_accounts')
      .set('API-Key', apiKey)
      .send({ provider: 'mock', carrier: 'usps', account_id: 'acct-usps', parameters: { label_cost: 5 } });
    expect(account.status).toBe(201);

    const created = await http()
      .post('/batches')
      .set('Authorization', auth)
      .set('X-Request-ID', 'create-batch-request-1')
      .send({
        default_carrier_account: account.body.object_id,
        default_servicelevel_token: 'usps_priority',
        label_filetype: 'PDF_4x6',
        metadata: 'logs',
        batch_shipments: [
          { shipment: { address_from: FROM, address_to: TO, parcels: [PARCEL] } },
          { shipment: { address_from: FROM, address_to: TO, parcels: [PARCEL] } },
        ],
      });
    expect(created.status).toBe(201);
    batchId = created.body.object_id;
    const valid = await eventually(
      () => http().get(`/batches/${batchId}`).set('Authorization', auth),
      (r) => r.body.object_status !== 'VALIDATING',
    );
    expect(valid.body.object_status).toBe('VALID');
    expect((await http().post(`/batches/${batchId}/purchase`).set('Authorization', auth)).status).toBe(202);
    const done = await eventually(
      () => http().get(`/batches/${batchId}`).set('Authorization', auth),
      (r) => r.body.object_status === 'PURCHASED',
    );
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 2, purchase_failed: 0 });
    // A refused key, a missing object and a health check.
    expect((await http().get('/batches').set('Authorization', 'Bearer sb_not_a_key_but_long_enough_to_look_like_one')).status).toBe(401);
    expect((await http().get('/batches/ffffffffffffffffffffffffffffffff').set('Authorization', auth)).status).toBe(404);
    expect((await http().get('/health')).status).toBe(200);
    expect((await http().get('/health/ready')).status).toBe(200);
    expect((await http().get('/metrics')).status).toBe(200);
    // A delivery attempt to the closed port has been logged.
    await eventually(
      async () => lines().some((line) => line.includes('"webhook_delivery_id"')),
      (seen) => seen,
    );
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    jest.restoreAllMocks();
  });

  it('writes only JSON lines, none with a colour code', () => {
    expect(lines().length).toBeGreaterThan(20);
    for (const line of lines()) {
      expect(line).not.toContain(ESC);
      expect(() => JSON.parse(line)).not.toThrow();
    }
    expect(entries().every((e) => typeof e['level'] === 'number' && typeof e['time'] === 'string' && e['name'] === 'shipbatch-api')).toBe(true);
    // Nest's own lines went through the same logger (bufferLogs); its ~60 route-mapping lines are debug, not info.
    expect(entries().some((e) => e['context'] === 'NestApplication' || e['context'] === 'InstanceLoader')).toBe(true);
    expect(entries().filter((e) => e['context'] === 'RoutesResolver' || e['context'] === 'RouterExplorer')).toEqual([]);
  });

  it('puts the batch id, as batch_id, on every line about the batch', () => {
    const about = entries().filter((e) => JSON.stringify(e).includes(batchId));
    expect(about.length).toBeGreaterThan(4);
    for (const e of about) expect({ msg: e['msg'], batch_id: e['batch_id'] }).toEqual({ msg: e['msg'], batch_id: batchId });
    const messages = about.map((e) => String(e['msg']));
    expect(messages).toEqual(
      expect.arrayContaining([
        `batch ${batchId} created with 2 shipment(s)`,
        `batch ${batchId} validated: VALID`,
        `GET /batches/${batchId} 200`,
        `POST /batches/${batchId}/purchase 202`,
      ]),
    );
    const tenantId = about.find((e) => e['msg'] === `batch ${batchId} created with 2 shipment(s)`)?.['tenant_id'];
    expect(tenantId).toEqual(expect.any(String));
    expect(about.find((e) => e['msg'] === `batch ${batchId} validated: VALID`)).toMatchObject({ tenant_id: tenantId, context: 'ValidateBatchUseCase' });
    expect(about.find((e) => e['msg'] === `POST /batches/${batchId}/purchase 202`)).toMatchObject({ tenant_id: tenantId });
  });

  it('logs a request once, when it ends, with its id and no headers; a healthy /health not at all', () => {
    const requests = entries().filter((e) => e['req'] !== undefined);
    expect(requests.length).toBeGreaterThan(5);
    for (const e of requests) {
      expect(Object.keys(e['req'] as object).sort()).toEqual(['method', 'url']);
      expect(e['res']).toEqual({ statusCode: expect.any(Number) });
      expect(e['reqId']).toEqual(expect.any(String));
    }
    expect(new Set(requests.map((e) => e['reqId'])).size).toBe(requests.length);
    const create = entries().filter((e) => e['reqId'] === 'create-batch-request-1');
    // The request's line and the use case's line, both with the request's id.
    expect(create.map((e) => e['msg'])).toEqual(expect.arrayContaining([`batch ${batchId} created with 2 shipment(s)`, 'POST /batches 201']));
    expect(requests.filter((e) => String(e['msg']).startsWith('POST /batches 201'))).toHaveLength(1);
    // 4xx lines carry the error answer's code; others none.
    expect(requests.find((e) => String(e['msg']).startsWith('GET /batches 401'))).toMatchObject({ level: 40, error_code: 'unauthorized' });
    expect(requests.find((e) => e['msg'] === 'GET /batches/ffffffffffffffffffffffffffffffff 404')).toMatchObject({ level: 40, error_code: 'batch_not_found' });
    expect(requests.filter((e) => (e['res'] as { statusCode: number }).statusCode < 400 && 'error_code' in e)).toEqual([]);
    expect(requests.some((e) => String(e['msg']).includes('/health'))).toBe(false);
    expect(requests.some((e) => String(e['msg']).includes('/metrics'))).toBe(false);
  });

  it('never writes the API key, the Authorization header, the admin token or the webhook secret', () => {
    const text = chunks.join('');
    expect(apiKey).toMatch(/^sb_/);
    expect(webhookSecret).toMatch(/^whsec_/);
    for (const secret of [apiKey, auth, ADMIN_TOKEN, webhookSecret, 'sb_not_a_key_but_long_enough_to_look_like_one']) {
      expect(text).not.toContain(secret);
    }
    // Nor the demo tenant's key, made at the first start (printed for a person on the console only).
    const demoKeys = printed.join('\n').match(/\bsb_[A-Za-z0-9_-]{20,}/g) ?? [];
    for (const key of demoKeys) expect(text).not.toContain(key);
    expect(text).not.toMatch(/\bsb_[A-Za-z0-9_-]{20,}/);
    expect(text.toLowerCase()).not.toContain('"authorization"');
    expect(text.toLowerCase()).not.toContain('api-key":');
  });

  it('gives the webhook delivery lines their ids', () => {
    const attempt = entries().find((e) => e['webhook_delivery_id'] !== undefined);
    expect(attempt).toMatchObject({ level: 40, webhook_id: expect.any(String), tenant_id: expect.any(String), context: 'DeliverWebhookUseCase' });
  });
});
