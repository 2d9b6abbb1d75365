import { randomUUID } from 'node:crypto';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import { eventually } from '@shipbatch/platform/testing';
import { DEFAULT_RETRY_POLICY } from '@shipbatch/providers/core';
import { startFakeShippo } from '@shipbatch/providers/shippo/testing';
import { startFakeShipStation } from '@shipbatch/providers/shipstation/testing';
import { QUEUES, ReconcileUseCase } from '@shipbatch/shipping/application';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';
import { WebhookReceiver } from './webhook-receiver';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US', phone: '4151234567' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US', phone: '4155550100' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' };

/** ShipStation's answer while it is down: a 503 in its own error shape. */
const DOWN = { kind: 'status', status: 503, body: { request_id: randomUUID(), errors: [{ error_source: 'shipengine', error_type: 'system', error_code: 'unspecified', message: 'Service Unavailable' }] } } as const;

/** The seed of the faults of the flaky Shippo: with it, the code before lookups were retried lost shipments to a failed read. */
const FLAKY_SEED = 19;

/**
 * Providers that fail, in both modes: the service talks real HTTP to a fake ShipStation made to
 * fail (503s, reset connections) and to a fake Shippo that fails a share of its answers at
 * random (seeded); a webhook receiver on 127.0.0.1 gets the batch_created the tenant waits for.
 */
describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('providers that fail, %s mode', (mode, start) => {
  let fake: Awaited<ReturnType<typeof startFakeShipStation>>;
  let shippo: Awaited<ReturnType<typeof startFakeShippo>>;
  let receiver: WebhookReceiver;
  let h: Harness;
  let acme: Client;

  const account = async (parameters: Record<string, unknown> = {}) => {
    const apiKey = `TEST_${randomUUID()}`;
    const carrierId = `se-${Math.floor(Math.random() * 1e9)}`;
    fake.addAccount({ apiKey, carriers: [{ carrierId, carrierCode: 'stamps_com', balance: 1000 }] });
    const res = await acme.post('/carrier_accounts', {
      provider: 'shipstation',
      carrier: 'usps',
      account_id: carrierId,
      parameters: { api_key: apiKey, carrier_id: carrierId, rate_limit_per_minute: 600, ...parameters },
    });
    expect(res.status).toBe(201);
    return { id: res.body.object_id as string, apiKey, carrierId };
  };

  const shipments = (names: string[]) => names.map((name) => ({ shipment: { address_from: FROM, address_to: { ...TO, name }, parcels: [PARCEL] } }));
  const create = async (accountId: string, names: string[]) => {
    const res = await acme.post('/batches', {
      default_carrier_account: accountId,
      default_servicelevel_token: 'usps_priority',
      label_filetype: 'PDF_4x6',
      batch_shipments: shipments(names),
    });
    expect(res.status).toBe(201);
    return res.body.object_id as string;
  };
  const settled = (id: string) => eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING');
  const requestsTo = (apiKey: string, method: string, path: RegExp) =>
    fake.requests().filter((r) => r.headers['api-key'] === apiKey && r.method === method && path.test(r.path));

  beforeAll(async () => {
    fake = await startFakeShipStation({ rateLimitPerMinute: 6000 });
    // Limits far above what the test sends: a 429 would depend on timing, and the faults' draws on the order of requests.
    shippo = await startFakeShippo({ limitScale: 100 });
    receiver = await new WebhookReceiver().start();
    h = await start({
      env: { SHIPSTATION_BASE_URL: fake.url, SHIPPO_BASE_URL: shippo.url, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '200' },
    });
    const anon = new Client(h.baseUrl);
    const tenant = await anon.post('/admin/tenants', { name: `unreachable-${mode}` }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    acme = anon.withKey(tenant.body.api_key);
    expect((await acme.post('/webhooks', { url: `${receiver.url}/created`, event: 'batch_created', is_test: true })).status).toBe(201);
  });

  afterEach(() => {
    fake.faults.clear();
    shippo.faults.clear();
    expect(fake.violations()).toEqual([]);
    expect(shippo.violations()).toEqual([]);
  });

  afterAll(async () => {
    await h?.close();
    await fake?.close();
    await shippo?.close();
    await receiver?.close();
  });

  it('ends a batch INVALID naming the provider and the cause, sends batch_created, refuses the purchase; removing and adding the shipments once ShipStation answers makes it VALID', async () => {
    const acct = await account();
    fake.faults.inject(DOWN, { times: Infinity });
    const id = await create(acct.id, ['One', 'Two']);

    const invalid = await settled(id);
    expect(invalid.body.object_status).toBe('INVALID');
    expect(invalid.body.object_results).toMatchObject({ creation_failed: 2, creation_succeeded: 0 });
    for (const s of invalid.body.batch_shipments.results) {
      expect(s.object_status).toBe('INVALID');
      expect(s.messages).toEqual([
        {
          source: 'shipstation',
          code: 'provider_unavailable',
          text: expect.stringMatching(
            new RegExp(
              `^shipstation: GET /v2/carriers/${acct.carrierId}/services answered 503: Service Unavailable \\(${DEFAULT_RETRY_POLICY.attempts} attempts\\); ` +
                'the provider could not be reached, so the shipment was not validated$',
            ),
          ),
        },
      ]);
    }
    // Tried as often as the transport tries, for the first shipment only: the account is known down for the rest.
    expect(requestsTo(acct.apiKey, 'GET', /\/services$/)).toHaveLength(DEFAULT_RETRY_POLICY.attempts);

    const created = await eventually(async () => receiver.at('/created').filter((d) => d.body.data?.object_id === id), (r) => r.length >= 1);
    expect(created[0].body).toMatchObject({ event: 'batch_created', data: { object_id: id, object_status: 'INVALID' } });

    const purchase = await acme.post(`/batches/${id}/purchase`);
    expect(purchase.status).toBe(409);
    expect(purchase.body.errors[0]).toMatchObject({ error_code: 'batch_invalid' });

    // ShipStation is back: the tenant removes the failed shipments and adds them again.
    fake.faults.clear();
    const failed = invalid.body.batch_shipments.results.map((s: any) => s.object_id as string);
    expect((await acme.post(`/batches/${id}/add_shipments`, shipments(['One again', 'Two again']))).status).toBe(200);
    expect((await acme.post(`/batches/${id}/remove_shipments`, failed)).status).toBe(200);
    const valid = await settled(id);
    expect(valid.body.object_status).toBe('VALID');
    expect(valid.body.batch_shipments.results.map((s: any) => s.object_status)).toEqual(['VALID', 'VALID']);
  });

  it('answers the balance of a provider that cannot be reached with 503 provider_unavailable and Retry-After, naming the provider once', async () => {
    const acct = await account();
    fake.faults.inject({ kind: 'reset' }, { times: Infinity });
    const res = await acme.get(`/carrier_accounts/${acct.id}/balance`);
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.body.errors).toEqual([
      {
        error_source: 'shipbatch',
        error_type: 'system',
        error_code: 'provider_unavailable',
        message: expect.stringMatching(
          new RegExp(`^shipstation: GET /v2/carriers/${acct.carrierId} failed: (connection reset|socket hang up) \\(ECONNRESET\\) \\(${DEFAULT_RETRY_POLICY.attempts} attempts\\)$`),
        ),
      },
    ]);
    fake.faults.clear();
    const balance = await acme.get(`/carrier_accounts/${acct.id}/balance`);
    expect(balance.status).toBe(200);
    expect(balance.body).toEqual({ currency: 'usd', amount: 1000 });
  });

  it('runs one validation of a batch at a time: a second job and a reconcile pass while it runs ask ShipStation nothing more', async () => {
    const acct = await account({ validate_addresses: true });
    fake.faults.inject({ kind: 'latency', ms: 1_000 }, { method: 'POST', path: '/v2/addresses/validate', times: 3 });
    const id = await create(acct.id, ['A', 'B', 'C']);
    await eventually(async () => requestsTo(acct.apiKey, 'POST', /\/addresses\/validate$/), (r) => r.length >= 1);
    // While the first run waits on ShipStation: another job for the batch, and a reconcile pass that counts everything as stale.
    await h.worker.get<typeof QUEUE_PORT, QueuePort>(QUEUE_PORT, { strict: false }).add(QUEUES.validateBatch, { batchId: id });
    const counts = await h.worker.get(ReconcileUseCase, { strict: false }).execute(0);
    expect(counts.validations).toBe(0);
    expect((await settled(id)).body.object_status).toBe('VALID');
    // Each shipment's addresses were checked once.
    expect(requestsTo(acct.apiKey, 'POST', /\/addresses\/validate$/)).toHaveLength(3);
  });

  it('never fails a shipment because a read failed: with a quarter of Shippo\'s answers 503 and a fifth lost, lookups are tried again, nothing is bought twice', async () => {
    const token = `shippo_test_${randomUUID().replace(/-/g, '')}`;
    const carrierAccount = randomUUID().replace(/-/g, '');
    shippo.addAccount({ token, carrierAccounts: [{ objectId: carrierAccount, carrier: 'usps' }] });
    const res = await acme.post('/carrier_accounts', {
      provider: 'shippo',
      carrier: 'usps',
      account_id: carrierAccount,
      parameters: { api_token: token, carrier_account: carrierAccount, rate_limit_per_minute: 50_000 },
    });
    expect(res.status).toBe(201);
    shippo.faults.injectRandom(
      [
        { fault: { kind: 'status', status: 503, body: { detail: 'Service Unavailable' } }, probability: 0.25 },
        { fault: { kind: 'lost_answer' }, probability: 0.2 },
      ],
      { seed: FLAKY_SEED },
    );
    // One shipment a batch, one batch at a time: Shippo sees the same requests in the same order on every run, so the seed decides.
    const outcomes: Array<{ id: string; status: string; sold: number; messages: Array<{ code: string; text: string }> }> = [];
    for (let i = 0; i < 12; i++) {
      const id = await create(res.body.object_id, [`Flaky ${i + 1}`]);
      expect((await settled(id)).body.object_status).toBe('VALID');
      expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);
      const done = await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 1200 });
      const [s] = done.body.batch_shipments.results;
      outcomes.push({ id: s.object_id, status: s.object_status, sold: shippo.salesFor(s.object_id), messages: s.messages });
    }
    for (const o of outcomes) {
      // Bought exactly once, or failed without being bought twice.
      expect(o.sold).toBeLessThanOrEqual(1);
      if (o.status !== 'TRANSACTION_FAILED') {
        expect(o).toMatchObject({ status: 'VALID', sold: 1 });
        continue;
      }
      // A failed read never ends a shipment: only a purchase that failed, or a lookup that cannot tell.
      for (const m of o.messages) {
        expect(m.text).not.toMatch(/\bGET \//);
        expect(['purchase_outcome_unknown', 'unavailable']).toContain(m.code);
      }
    }
    expect(outcomes.filter((o) => o.status !== 'TRANSACTION_FAILED').length).toBeGreaterThanOrEqual(9);
  });
});
