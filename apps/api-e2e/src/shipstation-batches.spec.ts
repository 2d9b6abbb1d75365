// Quick polls, and a process call never acknowledged taken as not made after 3 s instead of 300.
import { randomUUID } from 'node:crypto';
import { eventually } from '@shipbatch/platform/testing';
import { readPdfLabels } from '@shipbatch/providers/testing';
import { type FakeShippo, startFakeShippo } from '@shipbatch/providers/shippo/testing';
import { type FakeShipStation, startFakeShipStation } from '@shipbatch/providers/shipstation/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';
import { NATIVE_FAULT_ENV } from './native-faults.env';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US', phone: '4151234567' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US', phone: '4155550100' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' };
/** The fake's price of a USPS Priority label. */
const PRIORITY = 7.58;

/**
 * ShipStation's batch path end to end, in both modes: an account's share of a batch of at least
 * `native_batch_min_size` shipments is bought through ShipStation's batch API (shipments in bulk,
 * one ShipStation batch, processed once, labels read by batch) against the in-repo fake, whose
 * books prove what was made, processed and sold, and how often.
 */
describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('ShipStation batch path, %s mode', (mode, start) => {
  let fake: FakeShipStation;
  let h: Harness;
  let acme: Client;

  /** A ShipStation account at the fake (its own API key and carrier) and our carrier account for it. */
  const account = async (options: { balance?: number; minSize?: number; funding?: Record<string, unknown> } = {}) => {
    const apiKey = `TEST_${randomUUID()}`;
    const carrierId = `se-${Math.floor(Math.random() * 1e9)}`;
    fake.addAccount({ apiKey, carriers: [{ carrierId, carrierCode: 'stamps_com', balance: options.balance ?? 2000 }] });
    const res = await acme.post('/carrier_accounts', {
      provider: 'shipstation',
      carrier: 'usps',
      account_id: carrierId,
      parameters: { api_key: apiKey, carrier_id: carrierId, rate_limit_per_minute: 6000, ...(options.minSize !== undefined ? { native_batch_min_size: options.minSize } : {}) },
      ...(options.funding ? { funding: options.funding } : {}),
    });
    expect(res.status).toBe(201);
    return { id: res.body.object_id as string, apiKey, carrierId };
  };

  /** A batch of `n` shipments on the account, validated; its shipment ids in batch order. */
  const batchOf = async (accountId: string, n: number, tag: string) => {
    const res = await acme.post('/batches', {
      default_carrier_account: accountId,
      default_servicelevel_token: 'usps_priority',
      label_filetype: 'PDF_4x6',
      batch_shipments: Array.from({ length: n }, (_, i) => ({ shipment: { address_from: FROM, address_to: { ...TO, name: `${tag} ${i + 1}` }, parcels: [PARCEL] } })),
    });
    expect(res.status).toBe(201);
    const id = res.body.object_id as string;
    const valid = await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING', { attempts: 1200 });
    expect(valid.body.object_status).toBe('VALID');
    return { id, ids: await shipmentIds(id, n) };
  };

  const shipmentIds = async (id: string, n: number) => {
    const ids: string[] = [];
    for (let page = 1; ids.length < n; page++) ids.push(...((await acme.get(`/batches/${id}?page=${page}`)).body.batch_shipments.results as any[]).map((s) => s.object_id as string));
    return ids;
  };

  const purchase = async (id: string) => {
    expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);
    return (await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 3000, intervalMs: 100 })).body;
  };

  /** Tracking numbers in the batch's merged label files, file after file. */
  const mergedBarcodes = async (labelUrls: string[]) => {
    const out: string[] = [];
    for (const url of labelUrls) out.push(...(await readPdfLabels(Buffer.from(await (await fetch(url)).arrayBuffer()))).barcodes);
    return out;
  };

  const tracking = () => new Map(fake.sales().map((s) => [s.external_shipment_id, s.tracking_number]));
  const batchesOf = (apiKey: string) => fake.batches().filter((b) => b.apiKey === apiKey);
  const requestsOf = (apiKey: string) => fake.requests().filter((r) => r.headers['api-key'] === apiKey && r.operationId !== 'download_label_file');
  const expectSoldOnce = (ids: string[]) => {
    for (const s of ids) expect({ s, sold: fake.salesFor(s), shipments: fake.shipmentsFor(s) }).toEqual({ s, sold: 1, shipments: 1 });
  };

  beforeAll(async () => {
    fake = await startFakeShipStation({ rateLimitPerMinute: 6000 });
    h = await start({ env: { ...NATIVE_FAULT_ENV, SHIPSTATION_BASE_URL: fake.url } });
    const anon = new Client(h.baseUrl);
    acme = anon.withKey((await anon.post('/admin/tenants', { name: `ssb-${mode}` }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key);
  });

  afterEach(() => {
    fake.faults.clear();
    expect(fake.violations()).toEqual([]);
  });

  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('buys a share at or above native_batch_min_size through one ShipStation batch: made in bulk, processed once, files merged in batch order, about N/100 requests', async () => {
    const acct = await account({ minSize: 10 });
    const n = 150;
    const { id, ids } = await batchOf(acct.id, n, 'Bulk');
    const done = await purchase(id);
    expect(done.object_results).toMatchObject({ purchase_succeeded: n, purchase_failed: 0 });
    expectSoldOnce(ids);

    const [batch, ...others] = batchesOf(acct.apiKey);
    expect(others).toEqual([]);
    expect(batch).toMatchObject({ status: 'completed', processCalls: 1, externalBatchId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(batch.shipmentIds).toHaveLength(n);
    expect(fake.warehouses(acct.apiKey)).toEqual([expect.objectContaining({ origin_address: expect.objectContaining({ postal_code: '94117', phone: '4151234567' }) })]);

    // Labels bought by the batch only; every label file merged, 100 a file, in batch order.
    const requests = requestsOf(acct.apiKey);
    const count = (operationId: string) => requests.filter((r) => r.operationId === operationId).length;
    expect(count('create_label')).toBe(0);
    expect(count('create_shipments')).toBe(2);
    expect(count('process_batch')).toBe(1);
    expect(requests.length).toBeLessThanOrEqual(Math.ceil(n / 100) + 30);
    expect(done.label_url).toHaveLength(2);
    expect(await mergedBarcodes(done.label_url)).toEqual(ids.map((s) => tracking().get(s)));
    const labels = (await acme.get(`/v2/labels?batch_id=${id}&page_size=5`)).body;
    expect(labels.total).toBe(n);
    expect(labels.labels[0]).toMatchObject({ carrier_id: acct.id, service_code: 'usps_priority', status: 'completed' });
  });

  it('buys a share below native_batch_min_size one label at a time', async () => {
    const acct = await account({ minSize: 50 });
    const { id, ids } = await batchOf(acct.id, 6, 'Small');
    expect((await purchase(id)).object_results).toMatchObject({ purchase_succeeded: 6, purchase_failed: 0 });
    expectSoldOnce(ids);
    expect(batchesOf(acct.apiKey)).toEqual([]);
    expect(requestsOf(acct.apiKey).filter((r) => r.operationId === 'create_label')).toHaveLength(6);
    expect(requestsOf(acct.apiKey).filter((r) => r.operationId === 'create_shipments')).toHaveLength(0);
  });

  for (const [what, operationId] of [
    ['creating the shipments', 'create_shipments'],
    ['creating the ShipStation batch', 'create_batch'],
    ['asking ShipStation to process it', 'process_batch'],
  ] as const) {
    it(`loses no label and buys none twice when the answer to ${what} is lost`, async () => {
      const acct = await account({ minSize: 10 });
      const { id, ids } = await batchOf(acct.id, 30, `Lost ${operationId}`);
      fake.faults.inject({ kind: 'lost_answer' }, { operationId, times: 1 });
      const done = await purchase(id);
      expect(done.object_results).toMatchObject({ purchase_succeeded: 30, purchase_failed: 0 });
      expect(fake.requests().filter((r) => r.headers['api-key'] === acct.apiKey && r.operationId === operationId && r.fault === 'lost_answer')).toHaveLength(1);
      expectSoldOnce(ids);
      const theirs = batchesOf(acct.apiKey);
      expect(theirs).toHaveLength(1);
      expect(theirs[0]).toMatchObject({ processCalls: 1, status: 'completed' });
      expect(await mergedBarcodes(done.label_url)).toEqual(ids.map((s) => tracking().get(s)));
    });
  }

  it('asks again after Retry-After when the process call is answered 429: processed once', async () => {
    const acct = await account({ minSize: 10 });
    const { id, ids } = await batchOf(acct.id, 20, 'Throttled');
    fake.faults.inject({ kind: 'status', status: 429, headers: { 'Retry-After': '1' }, body: { request_id: randomUUID(), errors: [] } }, { operationId: 'process_batch', times: 1 });
    const done = await purchase(id);
    expect(done.object_results).toMatchObject({ purchase_succeeded: 20, purchase_failed: 0 });
    expect(requestsOf(acct.apiKey).filter((r) => r.operationId === 'process_batch').map((r) => r.status)).toEqual([429, 204]);
    expect(batchesOf(acct.apiKey)).toEqual([expect.objectContaining({ processCalls: 1, status: 'completed' })]);
    expectSoldOnce(ids);
  });

  it('never asks again when the process call is answered 503 and was not made: once the batch stays open, each label is bought alone from its shipment', async () => {
    const acct = await account({ minSize: 10 });
    const { id, ids } = await batchOf(acct.id, 20, 'Untaken');
    fake.faults.inject({ kind: 'status', status: 503, body: { request_id: randomUUID(), errors: [] } }, { operationId: 'process_batch', times: 1 });
    const done = await purchase(id);
    expect(done.object_results).toMatchObject({ purchase_succeeded: 20, purchase_failed: 0 });
    expect(requestsOf(acct.apiKey).filter((r) => r.operationId === 'process_batch')).toHaveLength(1);
    expect(batchesOf(acct.apiKey)).toEqual([expect.objectContaining({ processCalls: 0, status: 'open' })]);
    expectSoldOnce(ids);
    expect(requestsOf(acct.apiKey).filter((r) => r.operationId === 'create_label_from_shipment' && r.status === 200)).toHaveLength(20);
    expect(await mergedBarcodes(done.label_url)).toEqual(ids.map((s) => tracking().get(s)));
  });

  it('buys every label once while ShipStation answers 503, 429 and loses answers on every kind of batch call', async () => {
    const acct = await account({ minSize: 10 });
    const { id, ids } = await batchOf(acct.id, 40, 'Flaky');
    // Every API route but the process call (a 5xx there may have taken: the batch is then only
    // read, see the README) and the label files.
    fake.faults.injectRandom(
      [
        { fault: { kind: 'status', status: 503, body: { request_id: randomUUID(), errors: [] } }, probability: 0.15 },
        { fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' }, body: { request_id: randomUUID(), errors: [] } }, probability: 0.1 },
        { fault: { kind: 'lost_answer' }, probability: 0.1 },
      ],
      { seed: 20, match: { path: /^\/v2\/(?!batches\/[^/]+\/process\/|downloads\/)/ } },
    );
    const done = await purchase(id);
    fake.faults.clear();
    expect(done.object_results).toMatchObject({ purchase_succeeded: 40, purchase_failed: 0 });
    // The faults hit several kinds of calls (the seed decides which).
    const faulted = new Set(requestsOf(acct.apiKey).filter((r) => r.fault).map((r) => r.operationId));
    expect(faulted.size).toBeGreaterThanOrEqual(3);
    expectSoldOnce(ids);
    expect(batchesOf(acct.apiKey)).toEqual([expect.objectContaining({ processCalls: 1, status: 'completed' })]);
    expect(requestsOf(acct.apiKey).filter((r) => r.operationId === 'create_label')).toHaveLength(0);
    expect(await mergedBarcodes(done.label_url)).toEqual(ids.map((s) => tracking().get(s)));
  });

  it('reports batch errors on the right shipments with ShipStation\'s text, buys the rest once, and buys a failed one alone on retry', async () => {
    const acct = await account({ minSize: 10 });
    const { id, ids } = await batchOf(acct.id, 12, 'Errors');
    const why = 'Recipient address has not been verified.';
    fake.failPurchaseOf(ids[4], why);
    fake.failPurchaseOf(ids[9], why);
    const done = await purchase(id);
    expect(done.object_results).toMatchObject({ purchase_succeeded: 10, purchase_failed: 2 });
    const failed = (await acme.get(`/batches/${id}?object_results=purchase_failed`)).body.batch_shipments.results as any[];
    expect(failed.map((s) => s.object_id)).toEqual([ids[4], ids[9]]);
    for (const s of failed) expect(s.messages).toEqual([expect.objectContaining({ source: 'shipstation', code: 'batch_error', text: why })]);
    expect(batchesOf(acct.apiKey)[0]).toMatchObject({ status: 'completed_with_errors', processCalls: 1 });
    expect(await mergedBarcodes(done.label_url)).toEqual(ids.filter((_, i) => i !== 4 && i !== 9).map((s) => tracking().get(s)));

    // Fixed at the carrier: a retry buys them alone, from the shipments the batch path made.
    fake.failPurchaseOf(ids[4], null);
    fake.failPurchaseOf(ids[9], null);
    const retried = await purchase(id);
    expect(retried.object_results).toMatchObject({ purchase_succeeded: 12, purchase_failed: 0 });
    expectSoldOnce(ids);
    expect(requestsOf(acct.apiKey).filter((r) => r.operationId === 'create_label_from_shipment' && r.status === 200)).toHaveLength(2);
    expect(batchesOf(acct.apiKey)).toHaveLength(1);
    expect(await mergedBarcodes(retried.label_url)).toEqual(ids.map((s) => tracking().get(s)));
  });

  it('tops up when the balance runs out in the middle of a ShipStation batch and buys the rest alone, never processing it twice', async () => {
    // No estimate to top up ahead with: the balance pays for 8 of the 20 labels.
    fake.faults.inject({ kind: 'status', status: 503, body: { request_id: randomUUID(), errors: [] } }, { operationId: 'estimate_rates', times: Infinity });
    const acct = await account({ minSize: 10, balance: PRIORITY * 8 + 1, funding: { enabled: true, min_balance: 0, top_up_amount: '50.00', daily_cap: '1000.00' } });
    const { id, ids } = await batchOf(acct.id, 20, 'Funds');
    const done = await purchase(id);
    expect(done.object_results).toMatchObject({ purchase_succeeded: 20, purchase_failed: 0 });
    const [batch] = batchesOf(acct.apiKey);
    expect(batch).toMatchObject({ status: 'completed_with_errors', processCalls: 1 });
    expect(batch.errors.map((e) => e.error)).toEqual(Array(12).fill('Insufficient account balance'));
    expect(fake.fundsAdded(acct.carrierId).length).toBeGreaterThanOrEqual(1);
    expectSoldOnce(ids);
    const alone = new Set(batch.errors.map((e) => e.external_shipment_id));
    expect(fake.sales().filter((s) => alone.has(s.external_shipment_id ?? '')).length).toBe(12);
    expect(requestsOf(acct.apiKey).filter((r) => r.operationId === 'create_label_from_shipment' && r.status === 200)).toHaveLength(12);
    expect(await mergedBarcodes(done.label_url)).toEqual(ids.map((s) => tracking().get(s)));
  });

  it('buys one batch across the mock, the ShipStation batch path and the Shippo native path, files merged in batch order', async () => {
    const shippo: FakeShippo = await startFakeShippo();
    // Its own service, so that Shippo's base URL is known to it.
    const other: Harness = await start({ env: { ...NATIVE_FAULT_ENV, SHIPSTATION_BASE_URL: fake.url, SHIPPO_BASE_URL: shippo.url } });
    try {
      const anon = new Client(other.baseUrl);
      const client = anon.withKey((await anon.post('/admin/tenants', { name: 'mixed' }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key);
      const mock = (await client.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'mock', parameters: {} })).body.object_id as string;
      const apiKey = `TEST_${randomUUID()}`;
      const carrierId = `se-${Math.floor(Math.random() * 1e9)}`;
      fake.addAccount({ apiKey, carriers: [{ carrierId, carrierCode: 'stamps_com', balance: 1000 }] });
      const ss = (
        await client.post('/carrier_accounts', { provider: 'shipstation', carrier: 'usps', account_id: carrierId, parameters: { api_key: apiKey, carrier_id: carrierId, native_batch_min_size: 5, rate_limit_per_minute: 6000 } })
      ).body.object_id as string;
      const token = `shippo_test_${randomUUID().replace(/-/g, '')}`;
      const carrierAccount = randomUUID().replace(/-/g, '');
      shippo.addAccount({ token, carrierAccounts: [{ objectId: carrierAccount, carrier: 'usps' }] });
      const sp = (
        await client.post('/carrier_accounts', { provider: 'shippo', carrier: 'usps', account_id: carrierAccount, parameters: { api_token: token, carrier_account: carrierAccount, native_batch_min_size: 5 } })
      ).body.object_id as string;
      const plan = Array.from({ length: 18 }, (_, i) => [mock, ss, sp][i % 3]);
      const created = await client.post('/batches', {
        default_carrier_account: mock,
        default_servicelevel_token: 'usps_priority',
        label_filetype: 'PDF_4x6',
        batch_shipments: plan.map((carrier_account, i) => ({ carrier_account, shipment: { address_from: FROM, address_to: { ...TO, name: `Mixed ${i}` }, parcels: [PARCEL] } })),
      });
      const id = created.body.object_id as string;
      const valid = await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING', { attempts: 1200 });
      expect(valid.body.object_status).toBe('VALID');
      expect((await client.post(`/batches/${id}/purchase`)).status).toBe(202);
      const done = (await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 3000, intervalMs: 100 })).body;
      expect(done.object_results).toMatchObject({ purchase_succeeded: 18, purchase_failed: 0 });

      const results = done.batch_shipments.results as any[];
      const ssIds = results.filter((_, i) => plan[i] === ss).map((s) => s.object_id as string);
      const spIds = results.filter((_, i) => plan[i] === sp).map((s) => s.object_id as string);
      // Each provider's share went through its own batch API, once.
      expect(batchesOf(apiKey)).toEqual([expect.objectContaining({ processCalls: 1, shipmentIds: expect.any(Array) })]);
      expect(batchesOf(apiKey)[0].shipmentIds).toHaveLength(6);
      expect(requestsOf(apiKey).filter((r) => r.operationId === 'create_label')).toHaveLength(0);
      for (const s of ssIds) expect(fake.salesFor(s)).toBe(1);
      const shippoBatches = shippo.batches().filter((b) => b.metadata === id);
      expect(shippoBatches).toHaveLength(1);
      expect(shippo.batchPurchaseCalls(shippoBatches[0].objectId)).toBe(1);
      for (const s of spIds) expect(shippo.salesFor(s)).toBe(1);
      // One merged file, every label in batch order, whichever provider sold it.
      const numbers = await Promise.all(results.map(async (s) => (await client.get(`/transactions/${s.transaction}`)).body.tracking_number));
      expect(await mergedBarcodes(done.label_url)).toEqual(numbers);
      expect(shippo.violations()).toEqual([]);
    } finally {
      await other.close();
      await shippo.close();
    }
  });

  if (mode === 'scale-out') {
    it('processes a ShipStation batch exactly once when the worker running it is SIGKILLed right after asking ShipStation to process it', async () => {
      // Its own service: only worker processes take jobs, so the victim is the one running the batch.
      const other = await start({ env: { ...NATIVE_FAULT_ENV, SHIPSTATION_BASE_URL: fake.url }, childWorkers: 1, inProcessWorker: false });
      try {
        const [victim] = other.children;
        const anon = new Client(other.baseUrl);
        const client = anon.withKey((await anon.post('/admin/tenants', { name: 'killed' }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key);
        const apiKey = `TEST_${randomUUID()}`;
        const carrierId = `se-${Math.floor(Math.random() * 1e9)}`;
        fake.addAccount({ apiKey, carriers: [{ carrierId, carrierCode: 'stamps_com', balance: 5000 }] });
        const acct = (
          await client.post('/carrier_accounts', { provider: 'shipstation', carrier: 'usps', account_id: carrierId, parameters: { api_key: apiKey, carrier_id: carrierId, native_batch_min_size: 10, rate_limit_per_minute: 6000 } })
        ).body.object_id as string;
        const n = 160;
        const created = await client.post('/batches', {
          default_carrier_account: acct,
          default_servicelevel_token: 'usps_priority',
          label_filetype: 'PDF_4x6',
          batch_shipments: Array.from({ length: n }, (_, i) => ({ shipment: { address_from: FROM, address_to: { ...TO, name: `Killed ${i}` }, parcels: [PARCEL] } })),
        });
        const id = created.body.object_id as string;
        const valid = await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING', { attempts: 1200 });
        expect(valid.body.object_status).toBe('VALID');
        const ids: string[] = [];
        for (let page = 1; ids.length < n; page++) ids.push(...((await client.get(`/batches/${id}?page=${page}`)).body.batch_shipments.results as any[]).map((s) => s.object_id));

        // ShipStation answers the process request 3 s after it arrives: the worker dies while it is out.
        fake.faults.inject({ kind: 'latency', ms: 3_000 }, { operationId: 'process_batch', times: 1 });
        expect((await client.post(`/batches/${id}/purchase`)).status).toBe(202);
        await eventually(async () => requestsOf(apiKey).filter((r) => r.operationId === 'process_batch').length, (c) => c > 0, { attempts: 3000, intervalMs: 10 });
        await victim.kill();
        const theirs = batchesOf(apiKey);
        expect(theirs).toHaveLength(1);
        // ShipStation processes the batch all the same; nothing is recorded on our side yet.
        await eventually(async () => batchesOf(apiKey)[0].processCalls, (c) => c === 1, { attempts: 100 });
        expect(batchesOf(apiKey)[0].status).toBe('queued');
        expect((await client.get(`/batches/${id}`)).body).toMatchObject({ object_status: 'PURCHASING', object_results: { purchase_succeeded: 0 } });

        // A fresh worker resumes it from what was recorded (the dead worker's lease runs out first).
        const survivor = await other.spawnWorker();
        const done = (await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 3000, intervalMs: 100 })).body;
        expect(done.object_results).toMatchObject({ purchase_succeeded: n, purchase_failed: 0 });
        expectSoldOnce(ids);
        expect(batchesOf(apiKey)).toEqual([expect.objectContaining({ processCalls: 1, status: 'completed' })]);
        expect(requestsOf(apiKey).filter((r) => r.operationId === 'create_label')).toHaveLength(0);
        expect(done.label_url).toHaveLength(2);
        expect(await mergedBarcodes(done.label_url)).toEqual(ids.map((s) => tracking().get(s)));
        expect(victim.output()).toContain(`is provider batch ${theirs[0].batchId}`);
        expect(survivor.output()).toMatch(new RegExp(`batch ${id}: native batch \\S+ collected`));
        expect(victim.output() + survivor.output()).not.toContain(apiKey);
      } finally {
        await other.close();
      }
    }, 420_000);
  }
});
