import { randomUUID } from 'node:crypto';
import { eventually } from '@shipbatch/platform/testing';
import { readPdfLabels } from '@shipbatch/providers/testing';
import { startFakeShipStation } from '@shipbatch/providers/shipstation/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US', phone: '4151234567' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US', phone: '4155550100' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' };

type Fake = Awaited<ReturnType<typeof startFakeShipStation>>;

/**
 * ShipStation as a backend, end to end: the service in both modes talks real HTTP to an in-repo
 * fake ShipStation (ShipEngine shapes at /v2, every request and answer checked against the
 * OpenAPI file). The fake's ledger proves what was sold and how often.
 */
describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('ShipStation provider, %s mode', (mode, start) => {
  let fake: Fake;
  let h: Harness;
  let acme: Client;
  /** Every API key handed to the service, and everything this process printed meanwhile. */
  const keys: string[] = [];
  let printed = '';
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

  /** A ShipStation account at the fake (its own API key and carrier) and our carrier account for it. */
  const account = async (
    options: { balance?: number; funding?: Record<string, unknown>; apiKey?: string; rateLimitPerMinute?: number } = {},
  ) => {
    const apiKey = options.apiKey ?? `TEST_${randomUUID()}`;
    keys.push(apiKey);
    const carrierId = `se-${Math.floor(Math.random() * 1e9)}`;
    fake.addAccount({ apiKey, carriers: [{ carrierId, carrierCode: 'stamps_com', balance: options.balance ?? 1000 }] });
    const res = await acme.post('/carrier_accounts', {
      provider: 'shipstation',
      carrier: 'usps',
      account_id: carrierId,
      parameters: { api_key: apiKey, carrier_id: carrierId, rate_limit_per_minute: options.rateLimitPerMinute ?? 600 },
      ...(options.funding ? { funding: options.funding } : {}),
    });
    expect(res.status).toBe(201);
    return { id: res.body.object_id as string, apiKey, carrierId };
  };

  const batchOf = async (accountId: string, n: number, tag: string) => {
    const res = await acme.post('/batches', {
      default_carrier_account: accountId,
      default_servicelevel_token: 'usps_priority',
      label_filetype: 'PDF_4x6',
      batch_shipments: Array.from({ length: n }, (_, i) => ({
        shipment: { address_from: FROM, address_to: { ...TO, name: `${tag} ${i + 1}` }, parcels: [PARCEL] },
      })),
    });
    expect(res.status).toBe(201);
    const id = res.body.object_id as string;
    const valid = await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING');
    expect(valid.body.object_status).toBe('VALID');
    return id;
  };

  const purchase = async (batchId: string) => {
    expect((await acme.post(`/batches/${batchId}/purchase`)).status).toBe(202);
    return eventually(() => acme.get(`/batches/${batchId}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 1200 });
  };

  const shipmentsOf = async (batchId: string) => (await acme.get(`/batches/${batchId}`)).body.batch_shipments.results as any[];

  /** Every batch shipment was sold exactly once at the fake, under our reference. */
  const expectSoldOnce = async (batchId: string) => {
    for (const s of await shipmentsOf(batchId)) expect({ id: s.object_id, sold: fake.salesFor(s.object_id) }).toEqual({ id: s.object_id, sold: 1 });
  };

  beforeAll(async () => {
    // Log lines of the in-process api and workers (warnings and errors) are kept to look for keys.
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: any[]) => ((printed += String(chunk)), writes.out(chunk, ...rest))) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: any[]) => ((printed += String(chunk)), writes.err(chunk, ...rest))) as typeof process.stderr.write;
    fake = await startFakeShipStation({ rateLimitPerMinute: 600 });
    h = await start({ env: { SHIPSTATION_BASE_URL: fake.url } });
    const anon = new Client(h.baseUrl);
    const tenant = await anon.post('/admin/tenants', { name: `ss-${mode}` }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    acme = anon.withKey(tenant.body.api_key);
  });

  afterEach(() => {
    fake.faults.clear();
    expect(fake.violations()).toEqual([]);
  });

  afterAll(async () => {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    await h?.close();
    await fake?.close();
  });

  it('buys a whole batch through ShipStation: labels listed, files merged in batch order, each sold once', async () => {
    const acct = await account({ balance: 500 });
    const id = await batchOf(acct.id, 4, 'Full');
    const done = await purchase(id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 4, purchase_failed: 0 });
    await expectSoldOnce(id);

    const labels = await acme.get(`/v2/labels?batch_id=${id}&sort_dir=asc`);
    expect(labels.body.total).toBe(4);
    for (const l of labels.body.labels) expect(l).toMatchObject({ carrier_id: acct.id, service_code: 'usps_priority', status: 'completed' });
    const sold = fake.sales().filter((s) => s.carrierId === acct.carrierId);
    expect(sold.map((s) => s.service_code)).toEqual(['usps_priority_mail', 'usps_priority_mail', 'usps_priority_mail', 'usps_priority_mail']);

    // The label files ShipStation serves by URL were downloaded: the merged file holds them in batch order.
    expect(done.body.label_url).toHaveLength(1);
    const merged = Buffer.from(await (await fetch(done.body.label_url[0])).arrayBuffer());
    const { barcodes } = await readPdfLabels(merged);
    const byShipment = new Map(sold.map((s) => [s.external_shipment_id, s.tracking_number]));
    expect(barcodes).toEqual((await shipmentsOf(id)).map((s) => byShipment.get(s.object_id)));
    const one = labels.body.labels[0];
    const file = await fetch(one.label_download.pdf);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    // The balance is ShipStation's, read through the API; voiding goes to ShipStation.
    const balance = await acme.get(`/carrier_accounts/${acct.id}/balance`);
    expect(balance.body).toEqual({ currency: 'usd', amount: fake.balance(acct.carrierId) });
    const voided = await acme.put(`/v2/labels/${one.label_id}/void`);
    expect(voided.body.approved).toBe(true);
    expect(fake.sales().find((s) => s.tracking_number === one.tracking_number)?.voided).toBe(true);
  });

  it('tops the balance up ahead of a purchase when funding is on', async () => {
    const acct = await account({ balance: 200 });
    // A first batch: the price paid is the fallback when ShipStation's rate estimate cannot be had.
    await purchase(await batchOf(acct.id, 1, 'Price'));
    fake.setBalance(acct.carrierId, 20);
    const funding = { enabled: true, min_balance: '30.00', top_up_amount: '50.00', daily_cap: '500' };
    expect((await acme.put(`/carrier_accounts/${acct.id}`, { funding })).status).toBe(200);

    const id = await batchOf(acct.id, 5, 'Ahead');
    const done = await purchase(id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 5, purchase_failed: 0 });
    await expectSoldOnce(id);
    const events = (await acme.get(`/carrier_accounts/${acct.id}/funding_events`)).body.results;
    expect(events.map((e: any) => [e.reason, e.status])).toEqual([['pre_purchase', 'succeeded']]);
    expect(fake.fundsAdded(acct.carrierId)).toHaveLength(1);
  });

  it('tops up once when ShipStation answers insufficient funds mid-purchase, and buys everything', async () => {
    const acct = await account({ balance: 10, funding: { enabled: true, min_balance: 0, top_up_amount: 100, daily_cap: 1000 } });
    // Without a rate estimate (and no label bought yet) nothing is known ahead: the balance runs out mid-purchase.
    fake.faults.inject({ kind: 'status', status: 503, body: { request_id: randomUUID(), errors: [] } }, { operationId: 'estimate_rates', times: Infinity });
    const id = await batchOf(acct.id, 6, 'Mid');
    const done = await purchase(id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 6, purchase_failed: 0 });
    await expectSoldOnce(id);
    const events = (await acme.get(`/carrier_accounts/${acct.id}/funding_events`)).body.results;
    expect(events.filter((e: any) => e.status === 'succeeded').map((e: any) => e.reason)).toEqual(['insufficient_funds']);
    expect(events[0]).toMatchObject({ amount: { currency: 'usd', amount: 100 } });
    expect(fake.fundsAdded(acct.carrierId)).toHaveLength(1);
  });

  it('fails the unpaid shipments with insufficient_funds when funding is off, and buys them after funds are added', async () => {
    const acct = await account({ balance: 10 });
    const id = await batchOf(acct.id, 3, 'Broke');
    const partly = await purchase(id);
    expect(partly.body.object_results.purchase_failed).toBeGreaterThan(0);
    const failed = (await acme.get(`/batches/${id}?object_results=purchase_failed`)).body.batch_shipments.results;
    for (const s of failed) {
      expect(s.messages[0]).toMatchObject({ code: 'insufficient_funds' });
      expect(s.messages[0].text).toMatch(/balance/);
      expect(s.messages[0].text).toMatch(/needs/);
    }
    const added = await acme.post(`/carrier_accounts/${acct.id}/add_funds`, { amount: '50.00' });
    expect(added.status).toBe(200);
    const done = await purchase(id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 3, purchase_failed: 0 });
    await expectSoldOnce(id);
  });

  it('stops topping up at the daily cap', async () => {
    const acct = await account({ balance: 0, funding: { enabled: true, min_balance: 0, top_up_amount: 10, daily_cap: 15 } });
    const id = await batchOf(acct.id, 4, 'Capped');
    const done = await purchase(id);
    // Estimated at 4 x 7.58 = 30.32, but the cap allows 15.00 ahead: one label (7.58) is bought, a second top-up would pass the cap.
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 1, purchase_failed: 3 });
    const failed = (await acme.get(`/batches/${id}?object_results=purchase_failed`)).body.batch_shipments.results;
    expect(failed[0].messages[0].code).toBe('insufficient_funds');
    expect(failed[0].messages[0].text).toMatch(/cap/);
    expect(fake.fundsAdded(acct.carrierId)).toHaveLength(1);
    const events = (await acme.get(`/carrier_accounts/${acct.id}/funding_events`)).body.results;
    expect(events.some((e: any) => e.status === 'failed' && /cap/.test(e.message))).toBe(true);
  });

  it('never buys a label twice when answers are lost or ShipStation fails with 5xx', async () => {
    const acct = await account();
    fake.faults.inject({ kind: 'lost_answer' }, { method: 'POST', path: '/v2/labels', times: 2 });
    fake.faults.inject({ kind: 'status', status: 503, body: { request_id: randomUUID(), errors: [] } }, { method: 'POST', path: '/v2/labels', times: 1 });
    const id = await batchOf(acct.id, 5, 'Lost');
    const done = await purchase(id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 5, purchase_failed: 0 });
    await expectSoldOnce(id);
    expect(fake.sales().filter((s) => s.carrierId === acct.carrierId)).toHaveLength(5);
  });

  it('honours a 429 with Retry-After: nothing fails, nothing is bought twice', async () => {
    const acct = await account();
    fake.faults.inject(
      { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { request_id: randomUUID(), errors: [] } },
      { method: 'POST', path: '/v2/labels', times: 2 },
    );
    const id = await batchOf(acct.id, 3, 'Slow');
    const done = await purchase(id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 3, purchase_failed: 0 });
    await expectSoldOnce(id);
  });

  it('keeps two carrier accounts on one API key under that key\'s one limit', async () => {
    const limited = await startFakeShipStation({ rateLimitPerMinute: 60 });
    const other = await start({ env: { SHIPSTATION_BASE_URL: limited.url } });
    try {
      const anon = new Client(other.baseUrl);
      const client = anon.withKey((await anon.post('/admin/tenants', { name: 'limited' }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key);
      const apiKey = `TEST_${randomUUID()}`;
      limited.addAccount({ apiKey, carriers: [{ carrierId: 'se-1', carrierCode: 'stamps_com', balance: 1000 }, { carrierId: 'se-2', carrierCode: 'stamps_com', balance: 1000 }] });
      const ids: string[] = [];
      for (const carrierId of ['se-1', 'se-2']) {
        const res = await client.post('/carrier_accounts', {
          provider: 'shipstation',
          carrier: 'usps',
          account_id: carrierId,
          parameters: { api_key: apiKey, carrier_id: carrierId, rate_limit_per_minute: 60 },
        });
        ids.push(res.body.object_id);
      }
      const created = await client.post('/batches', {
        default_carrier_account: ids[0],
        default_servicelevel_token: 'usps_priority',
        batch_shipments: Array.from({ length: 8 }, (_, i) => ({
          shipment: { address_from: FROM, address_to: { ...TO, name: `Shared ${i}` }, parcels: [PARCEL] },
          carrier_account: ids[i % 2],
        })),
      });
      const id = created.body.object_id;
      await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status === 'VALID');
      expect((await client.post(`/batches/${id}/purchase`)).status).toBe(202);
      const done = await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 1200 });
      expect(done.body.object_results).toMatchObject({ purchase_succeeded: 8, purchase_failed: 0 });
      // One budget for the key: never over 60 a minute or 10 in 10 s, so ShipStation never said 429.
      const stats = limited.stats();
      expect(stats.answered429).toBe(0);
      expect(stats.peakPer10s).toBeLessThanOrEqual(10);
      expect(limited.violations()).toEqual([]);
    } finally {
      await other.close();
      await limited.close();
    }
  });

  it('refuses a wrong API key with a clear message and buys nothing', async () => {
    const carrierId = `se-${Math.floor(Math.random() * 1e9)}`;
    fake.addAccount({ apiKey: `TEST_${randomUUID()}`, carriers: [{ carrierId, carrierCode: 'stamps_com', balance: 100 }] });
    const wrongKey = `TEST_wrong_${randomUUID()}`;
    keys.push(wrongKey);
    const res = await acme.post('/carrier_accounts', {
      provider: 'shipstation',
      carrier: 'usps',
      account_id: carrierId,
      parameters: { api_key: wrongKey, carrier_id: carrierId },
    });
    const created = await acme.post('/batches', {
      default_carrier_account: res.body.object_id,
      default_servicelevel_token: 'usps_priority',
      batch_shipments: [1, 2].map((n) => ({ shipment: { address_from: FROM, address_to: { ...TO, name: `Wrong ${n}` }, parcels: [PARCEL] } })),
    });
    const id = created.body.object_id;
    const invalid = await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING');
    expect(invalid.body.object_status).toBe('INVALID');
    for (const s of invalid.body.batch_shipments.results) {
      expect(s.messages[0]).toMatchObject({ source: 'shipstation', code: 'carrier_account_auth_failed' });
      expect(s.messages[0].text).toMatch(/API key is invalid/);
    }
    expect(fake.sales().filter((s) => s.carrierId === carrierId)).toHaveLength(0);
    expect((await acme.get(`/carrier_accounts/${res.body.object_id}/balance`)).status).toBe(409);
    // The key is in none of the answers.
    for (const path of [`/carrier_accounts/${res.body.object_id}`, '/carrier_accounts', `/batches/${id}`, `/carrier_accounts/${res.body.object_id}/balance`]) {
      expect(JSON.stringify((await acme.get(path)).body)).not.toContain(wrongKey);
    }
  });

  if (mode === 'scale-out') {
    it('loses no label and buys none twice when a worker process is killed mid-purchase', async () => {
      const acct = await account();
      // A slow ShipStation keeps purchases in flight when the worker dies.
      fake.faults.inject({ kind: 'latency', ms: 300 }, { method: 'POST', path: '/v2/labels', times: 1000 });
      const victim = await h.spawnWorker();
      const survivor = await h.spawnWorker();
      const id = await batchOf(acct.id, 40, 'Killed');
      expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);
      await eventually(
        async () => fake.sales().filter((s) => s.carrierId === acct.carrierId).length,
        (n) => n >= 5,
      );
      await victim.kill();
      fake.faults.clear();
      const done = await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 3000 });
      expect(done.body.object_results).toMatchObject({ purchase_succeeded: 40, purchase_failed: 0 });
      await expectSoldOnce(id);
      expect(fake.sales().filter((s) => s.carrierId === acct.carrierId)).toHaveLength(40);
      // Neither process ever printed the credential.
      expect(victim.output() + survivor.output()).not.toContain(acct.apiKey);
    });
  }
  it('wrote no API key to any log line, of this process or of the worker processes', () => {
    const output = printed + h.children.map((c) => c.output()).join('');
    expect(keys.length).toBeGreaterThan(5);
    for (const key of keys) expect(output.includes(key)).toBe(false);
  });
});
