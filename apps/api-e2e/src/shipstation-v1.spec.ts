import { randomUUID } from 'node:crypto';
import { eventually } from '@shipbatch/platform/testing';
import { readPdfLabels } from '@shipbatch/providers/testing';
import { type FakeShipStationV1, startFakeShipStationV1 } from '@shipbatch/providers/shipstation-v1/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US', phone: '4151234567' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US', phone: '4155550100' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' };

/**
 * ShipStation's legacy API (v1) as a backend, end to end: the service in both modes talks real
 * HTTP to the fake ShipStation v1 of `@shipbatch/providers/shipstation-v1/testing` (every request
 * and answer checked against the description kept in that library, HTTP Basic authentication, a
 * fixed window of 40 requests a minute per key and secret with its X-Rate-Limit headers). Labels
 * are bought through orders (orderKey = orderNumber = the batch shipment's object_id); the fake's
 * ledger proves what was sold and how often, its arrival times how fast.
 */
describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('ShipStation v1 provider, %s mode', (mode, start) => {
  /** A fake with room to spare (600 a minute): the tests of funding, faults and keys. */
  let fake: FakeShipStationV1;
  /** A fake at ShipStation v1's real limit: 40 requests per key and secret in a fixed 60 s window. */
  let strict: FakeShipStationV1;
  let h: Harness;
  let acme: Client;
  const secrets: string[] = [];
  let printed = '';
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

  /** A ShipStation account at the fake (its own key, secret and stamps_com balance) and our carrier account for it. */
  const account = async (options: { balance?: number; funding?: Record<string, unknown>; rateLimitPerMinute?: number; at?: FakeShipStationV1 } = {}) => {
    const apiKey = `key_${randomUUID()}`;
    const apiSecret = `secret_${randomUUID()}`;
    secrets.push(apiKey, apiSecret);
    (options.at ?? fake).addAccount({ apiKey, apiSecret, carriers: [{ code: 'stamps_com', balance: options.balance ?? 1000 }] });
    const res = await acme.post('/carrier_accounts', {
      provider: 'shipstation_v1',
      carrier: 'usps',
      account_id: `v1-${apiKey.slice(4, 12)}`,
      parameters: { api_key: apiKey, api_secret: apiSecret, carrier_code: 'stamps_com', ...(options.rateLimitPerMinute ? { rate_limit_per_minute: options.rateLimitPerMinute } : {}) },
      ...(options.funding ? { funding: options.funding } : {}),
    });
    expect(res.status).toBe(201);
    return { id: res.body.object_id as string, apiKey, apiSecret };
  };

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
    return id;
  };

  const purchase = async (batchId: string) => {
    expect((await acme.post(`/batches/${batchId}/purchase`)).status).toBe(202);
    return eventually(() => acme.get(`/batches/${batchId}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 3000 });
  };

  const shipmentsOf = async (batchId: string) => (await acme.get(`/batches/${batchId}`)).body.batch_shipments.results as any[];

  /** Every batch shipment was sold exactly once, through exactly one order, under our reference. */
  const expectSoldOnce = async (at: FakeShipStationV1, batchId: string) => {
    for (const s of await shipmentsOf(batchId)) {
      expect({ id: s.object_id, sold: at.salesFor(s.object_id), orders: at.ordersFor(s.object_id) }).toEqual({ id: s.object_id, sold: 1, orders: 1 });
    }
  };

  beforeAll(async () => {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: any[]) => ((printed += String(chunk)), writes.out(chunk, ...rest))) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: any[]) => ((printed += String(chunk)), writes.err(chunk, ...rest))) as typeof process.stderr.write;
    fake = await startFakeShipStationV1({ rateLimit: 600 });
    strict = await startFakeShipStationV1();
    h = await start({ env: { SHIPSTATION_V1_BASE_URL: fake.url } });
    const anon = new Client(h.baseUrl);
    const tenant = await anon.post('/admin/tenants', { name: `ss1-${mode}` }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    acme = anon.withKey(tenant.body.api_key);
  });

  afterEach(() => {
    fake.faults.clear();
    expect(fake.violations()).toEqual([]);
    expect(strict.violations()).toEqual([]);
  });

  afterAll(async () => {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    await h?.close();
    await fake?.close();
    await strict?.close();
  });

  it('buys a batch at the real limit without a 429: at most 40 requests in any 60 s and 6 in any 10 s; labels merged, listed, voidable', async () => {
    // Its own service on the strict fake (the base URL is the operator's setting, one per process).
    const other = await start({ env: { SHIPSTATION_V1_BASE_URL: strict.url } });
    try {
      const anon = new Client(other.baseUrl);
      const client = anon.withKey((await anon.post('/admin/tenants', { name: `strict-${mode}` }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key);
      const saved = acme;
      acme = client;
      try {
        const acct = await account({ at: strict, balance: 500 });
        const id = await batchOf(acct.id, 12, 'Paced');
        const done = await purchase(id);
        expect(done.body.object_results).toMatchObject({ purchase_succeeded: 12, purchase_failed: 0 });
        await expectSoldOnce(strict, id);
        const stats = strict.stats(acct.apiKey);
        // Two requests a label (the order, its label) and the carrier's services and packages for validation.
        expect(stats.requests).toBeGreaterThanOrEqual(26);
        expect(stats.answered429).toBe(0);
        expect(stats.peakPer60s).toBeLessThanOrEqual(40);
        expect(stats.peakPer10s).toBeLessThanOrEqual(6);

        // The labels came inline (labelData): the merged file holds them in batch order.
        const sold = new Map(strict.sales().filter((s) => s.apiKey === acct.apiKey).map((s) => [s.orderNumber, s.trackingNumber]));
        const { barcodes } = await readPdfLabels(Buffer.from(await (await fetch(done.body.label_url[0])).arrayBuffer()));
        expect(barcodes).toEqual((await shipmentsOf(id)).map((s) => sold.get(s.object_id)));
        const labels = await client.get(`/v2/labels?batch_id=${id}&sort_dir=asc&page_size=50`);
        expect(labels.body.total).toBe(12);
        for (const l of labels.body.labels) expect(l).toMatchObject({ carrier_id: acct.id, service_code: 'usps_priority', status: 'completed' });
        const voided = await client.put(`/v2/labels/${labels.body.labels[0].label_id}/void`);
        expect(voided.body.approved).toBe(true);
        expect(strict.sales().find((s) => s.trackingNumber === labels.body.labels[0].tracking_number)?.voided).toBe(true);
        const balance = await client.get(`/carrier_accounts/${acct.id}/balance`);
        expect(balance.body).toEqual({ currency: 'usd', amount: strict.balance('stamps_com', acct.apiKey) });
      } finally {
        acme = saved;
      }
    } finally {
      await other.close();
    }
  });

  it('shares the key with another client: pauses on X-Rate-Limit-Remaining 0 until the reset, never meets a 429', async () => {
    // A fixed window of 10 s (scaled) of which another client of the same key takes 36 of 40 at its start:
    // paced at 40 a minute (6 in 10 s) the service would need a 429 to learn of it; the headers tell it first.
    const shared = await startFakeShipStationV1({ rateLimit: 40, windowMs: 10_000 });
    const other = await start({ env: { SHIPSTATION_V1_BASE_URL: shared.url } });
    const saved = acme;
    try {
      const anon = new Client(other.baseUrl);
      acme = anon.withKey((await anon.post('/admin/tenants', { name: `shared-${mode}` }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key);
      const acct = await account({ at: shared, balance: 500 });
      shared.shareKey(acct.apiKey, 36);
      const id = await batchOf(acct.id, 4, 'Shared');
      const done = await purchase(id);
      expect(done.body.object_results).toMatchObject({ purchase_succeeded: 4, purchase_failed: 0 });
      await expectSoldOnce(shared, id);
      const stats = shared.stats(acct.apiKey);
      expect(stats.requests).toBeGreaterThanOrEqual(10);
      expect(stats.answered429).toBe(0);
      expect(shared.violations()).toEqual([]);
    } finally {
      acme = saved;
      await other.close();
      await shared.close();
    }
  });

  it('tops the balance up ahead of a batch when funding is on', async () => {
    const acct = await account({ balance: 200, rateLimitPerMinute: 600 });
    // v1 quotes no rates: the price paid for a first label is what funding ahead estimates with.
    await purchase(await batchOf(acct.id, 1, 'Price'));
    fake.setBalance('stamps_com', 20, acct.apiKey);
    const funding = { enabled: true, min_balance: '30.00', top_up_amount: '50.00', daily_cap: '500' };
    expect((await acme.put(`/carrier_accounts/${acct.id}`, { funding })).status).toBe(200);
    const id = await batchOf(acct.id, 5, 'Ahead');
    const done = await purchase(id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 5, purchase_failed: 0 });
    await expectSoldOnce(fake, id);
    const events = (await acme.get(`/carrier_accounts/${acct.id}/funding_events`)).body.results;
    expect(events.map((e: any) => [e.reason, e.status])).toEqual([['pre_purchase', 'succeeded']]);
    expect(fake.fundsAdded('stamps_com', acct.apiKey)).toHaveLength(1);
  });

  it('tops up once when ShipStation answers insufficient funds during the batch, and buys everything', async () => {
    const acct = await account({ balance: 10, rateLimitPerMinute: 600, funding: { enabled: true, min_balance: 0, top_up_amount: 100, daily_cap: 1000 } });
    const id = await batchOf(acct.id, 6, 'Mid');
    const done = await purchase(id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 6, purchase_failed: 0 });
    await expectSoldOnce(fake, id);
    const events = (await acme.get(`/carrier_accounts/${acct.id}/funding_events`)).body.results;
    expect(events.filter((e: any) => e.status === 'succeeded').map((e: any) => e.reason)).toEqual(['insufficient_funds']);
    expect(fake.fundsAdded('stamps_com', acct.apiKey)).toEqual([expect.objectContaining({ amount: 100 })]);
  });

  it('never buys a label twice when answers to the order path are lost or fail with 5xx', async () => {
    const acct = await account({ rateLimitPerMinute: 600 });
    fake.faults.inject({ kind: 'lost_answer' }, { method: 'POST', path: '/orders/createlabelfororder', times: 2 });
    fake.faults.inject({ kind: 'status', status: 500, body: { Message: 'An error has occurred.' } }, { method: 'POST', path: '/orders/createlabelfororder', times: 1 });
    fake.faults.inject({ kind: 'lost_answer' }, { method: 'POST', path: '/orders/createorder', times: 1 });
    const id = await batchOf(acct.id, 5, 'Lost');
    const done = await purchase(id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 5, purchase_failed: 0 });
    await expectSoldOnce(fake, id);
    expect(fake.sales().filter((s) => s.apiKey === acct.apiKey)).toHaveLength(5);
    // Labels whose answer was lost were found again by GET /shipments?orderNumber=: bought, recorded, without a file.
    const lookups = fake.requests().filter((r) => r.path === '/shipments' && r.status === 200);
    expect(lookups.length).toBeGreaterThanOrEqual(2);
    const labels = await acme.get(`/v2/labels?batch_id=${id}&sort_dir=asc`);
    expect(labels.body.total).toBe(5);
    const tracking = new Set(fake.sales().filter((s) => s.apiKey === acct.apiKey).map((s) => s.trackingNumber));
    expect(new Set(labels.body.labels.map((l: any) => l.tracking_number))).toEqual(tracking);
  });

  it('refuses a wrong key and secret with a clear message and buys nothing', async () => {
    const apiKey = `key_${randomUUID()}`;
    const apiSecret = `secret_${randomUUID()}`;
    fake.addAccount({ apiKey, apiSecret, carriers: [{ code: 'stamps_com', balance: 100 }] });
    const wrongSecret = `secret_wrong_${randomUUID()}`;
    secrets.push(apiKey, wrongSecret);
    const res = await acme.post('/carrier_accounts', {
      provider: 'shipstation_v1',
      carrier: 'usps',
      account_id: 'v1-wrong',
      parameters: { api_key: apiKey, api_secret: wrongSecret, carrier_code: 'stamps_com', rate_limit_per_minute: 600 },
    });
    expect(res.status).toBe(201);
    const created = await acme.post('/batches', {
      default_carrier_account: res.body.object_id,
      default_servicelevel_token: 'usps_priority',
      batch_shipments: [1, 2].map((n) => ({ shipment: { address_from: FROM, address_to: { ...TO, name: `Wrong ${n}` }, parcels: [PARCEL] } })),
    });
    const id = created.body.object_id;
    const invalid = await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING');
    expect(invalid.body.object_status).toBe('INVALID');
    for (const s of invalid.body.batch_shipments.results) {
      expect(s.messages[0]).toMatchObject({ source: 'shipstation_v1', code: 'carrier_account_auth_failed' });
      expect(s.messages[0].text).toMatch(/refused the API key and secret/);
    }
    expect(fake.sales().filter((s) => s.apiKey === apiKey)).toHaveLength(0);
    expect((await acme.get(`/carrier_accounts/${res.body.object_id}/balance`)).status).toBe(409);
    for (const path of [`/carrier_accounts/${res.body.object_id}`, '/carrier_accounts', `/batches/${id}`]) {
      const text = JSON.stringify((await acme.get(path)).body);
      expect(text).not.toContain(wrongSecret);
      expect(text).not.toContain(apiKey);
    }
  });

  if (mode === 'scale-out') {
    it('loses no label and buys none twice when a worker process is SIGKILLed mid-purchase', async () => {
      const acct = await account({ rateLimitPerMinute: 600 });
      // A slow ShipStation keeps purchases in flight when the worker dies.
      fake.faults.inject({ kind: 'latency', ms: 300 }, { method: 'POST', path: '/orders/createlabelfororder', times: 1000 });
      const victim = await h.spawnWorker();
      const survivor = await h.spawnWorker();
      const id = await batchOf(acct.id, 30, 'Killed');
      expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);
      await eventually(async () => fake.sales().filter((s) => s.apiKey === acct.apiKey).length, (n) => n >= 5);
      await victim.kill();
      fake.faults.clear();
      const done = await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 3000 });
      expect(done.body.object_results).toMatchObject({ purchase_succeeded: 30, purchase_failed: 0 });
      await expectSoldOnce(fake, id);
      expect(fake.sales().filter((s) => s.apiKey === acct.apiKey)).toHaveLength(30);
      expect(victim.output() + survivor.output()).not.toContain(acct.apiSecret);
    });
  }

  it('wrote no API key or secret to any log line, of this process or of the worker processes', () => {
    const output = printed + h.children.map((c) => c.output()).join('');
    expect(secrets.length).toBeGreaterThan(5);
    for (const s of secrets) expect(output.includes(s)).toBe(false);
  });
});
