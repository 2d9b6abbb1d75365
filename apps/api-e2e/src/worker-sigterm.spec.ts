import { randomUUID } from 'node:crypto';
import { eventually } from '@shipbatch/platform/testing';
import { type FakeShipStation, startFakeShipStation } from '@shipbatch/providers/shipstation/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startScaleOut } from './harness';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US', phone: '4151234567' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US', phone: '4155550100' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' };
const HANDED_BACK = /handed back (\d+) purchases claimed but not started/;

/**
 * SIGTERM in scale-out (README, "Restarts"): two worker processes buy a batch at a fake
 * ShipStation that answers each label after 500 ms, one job at a time each
 * (PURCHASE_CONCURRENCY=1), so each holds a claimed group of 10 it buys one by one. One is
 * SIGTERMed mid-purchase. The purchase lease is 600 s, far longer than the test may take: the
 * batch can only finish if the worker let go of every claim it had not started, instead of
 * leaving them to run out. An API process SIGTERMed with a request in flight answers it first.
 */
describe('SIGTERM, scale-out', () => {
  let fake: FakeShipStation;
  let h: Harness;
  let acme: Client;
  let acmeKey: string;

  beforeAll(async () => {
    fake = await startFakeShipStation({ rateLimitPerMinute: 6000 });
    h = await startScaleOut({
      env: { SHIPSTATION_BASE_URL: fake.url, PURCHASE_LEASE_SECONDS: '600', PURCHASE_CONCURRENCY: '1', SHUTDOWN_GRACE_SECONDS: '60' },
      childWorkers: 2,
      inProcessWorker: false,
    });
    const anon = new Client(h.baseUrl);
    const created = await anon.post('/admin/tenants', { name: 'acme' }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    acmeKey = created.body.api_key as string;
    acme = anon.withKey(acmeKey);
  }, 120_000);

  afterEach(() => {
    fake.faults.clear();
    expect(fake.violations()).toEqual([]);
  });

  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  const account = async () => {
    const apiKey = `TEST_${randomUUID()}`;
    const carrierId = `se-${Math.floor(Math.random() * 1e9)}`;
    fake.addAccount({ apiKey, carriers: [{ carrierId, carrierCode: 'stamps_com', balance: 100_000 }] });
    const res = await acme.post('/carrier_accounts', {
      provider: 'shipstation',
      carrier: 'usps',
      account_id: carrierId,
      // Single purchases only: no share is large enough for ShipStation's batch path.
      parameters: { api_key: apiKey, carrier_id: carrierId, rate_limit_per_minute: 6000, native_batch_min_size: 1000 },
    });
    expect(res.status).toBe(201);
    return { id: res.body.object_id as string, apiKey };
  };

  const validBatch = async (accountId: string, n: number) => {
    const created = await acme.post('/batches', {
      default_carrier_account: accountId,
      default_servicelevel_token: 'usps_priority',
      label_filetype: 'PDF_4x6',
      batch_shipments: Array.from({ length: n }, (_, i) => ({ shipment: { address_from: FROM, address_to: { ...TO, name: `Term ${i}` }, parcels: [PARCEL] } })),
    });
    expect(created.status).toBe(201);
    const id = created.body.object_id as string;
    const valid = await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING', { attempts: 1200 });
    expect(valid.body.object_status).toBe('VALID');
    const ids: string[] = [];
    for (let page = 1; ids.length < n; page++) ids.push(...((await acme.get(`/batches/${id}?page=${page}`)).body.batch_shipments.results as any[]).map((s) => s.object_id));
    return { id, ids };
  };

  it('a worker SIGTERMed mid-purchase exits 0 and hands back its claims; the other buys them without waiting for the lease; every label once', async () => {
    const { id: accountId, apiKey } = await account();
    const { id, ids } = await validBatch(accountId, 60);
    const labelRequests = () => fake.requests().filter((r) => r.headers['api-key'] === apiKey && r.operationId === 'create_label');
    fake.faults.inject({ kind: 'latency', ms: 500 }, { operationId: 'create_label', times: Infinity });
    expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);

    // Both workers are buying (one group each, a label at a time): SIGTERM the first.
    await eventually(async () => labelRequests().length, (n) => n >= 3, { attempts: 600, intervalMs: 20 });
    const [victim, survivor] = h.children;
    const code = await victim.terminate();
    expect({ code, signal: victim.process.signalCode }).toEqual({ code: 0, signal: null });
    // It let go of the rest of its group (the purchase in flight was finished, not handed back).
    const handedBack = Number(HANDED_BACK.exec(victim.output())?.[1] ?? 0);
    expect(handedBack).toBeGreaterThan(0);
    expect(survivor.output()).not.toMatch(HANDED_BACK);

    // PURCHASE_LEASE_SECONDS is 600: finishing at all means no claim was left to its lease.
    const done = await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 1800, intervalMs: 100 });
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 60, purchase_failed: 0 });
    const sold = ids.map((s) => ({ s, sold: fake.salesFor(s) }));
    expect(sold).toEqual(ids.map((s) => ({ s, sold: 1 })));
    expect(labelRequests()).toHaveLength(60);
  }, 180_000);

  it('an API process SIGTERMed with a request in flight answers it, takes no new connection, and exits 0', async () => {
    const { id: accountId } = await account();
    const api = await h.spawnApi();
    const client = new Client(api.baseUrl).withKey(acmeKey);
    // The balance asks ShipStation, which takes 3 s to answer.
    fake.faults.inject({ kind: 'latency', ms: 3_000 }, { operationId: 'get_carrier_by_id', times: 1 });
    const inFlight = client.get(`/carrier_accounts/${accountId}/balance`);
    await eventually(async () => fake.requests().filter((r) => r.operationId === 'get_carrier_by_id').length, (n) => n >= 1, { attempts: 600, intervalMs: 20 });
    const exit = api.terminate();
    await eventually(async () => api.output(), (o) => /SIGTERM: draining/.test(o), { attempts: 600, intervalMs: 20 });
    await expect(fetch(`${api.baseUrl}/health/live`)).rejects.toThrow();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ currency: 'usd', amount: 100_000 });
    expect(await exit).toBe(0);
    expect(api.process.signalCode).toBeNull();
  }, 120_000);
});
