import { randomUUID } from 'node:crypto';
import { eventually } from '@shipbatch/platform/testing';
import type { Fault, FaultMatch } from '@shipbatch/providers/testing';
import { readPdfLabels } from '@shipbatch/providers/testing';
import { type FakeShippo, startFakeShippo } from '@shipbatch/providers/shippo/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';
import { NATIVE_FAULT_ENV } from './native-faults.env';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US', phone: '4151234567' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US', phone: '4155550100' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' };
/** The fake at 20 x Shippo's limits; accounts paced at 20 x too (`rate_limit_per_minute` 10,000 = 20 x 500). */
const SCALE = 20;

const LOST: Fault = { kind: 'lost_answer' };
const UNAVAILABLE: Fault = { kind: 'status', status: 503, body: { detail: 'Service unavailable.' } };
const THROTTLED: Fault = { kind: 'status', status: 429, headers: { 'Retry-After': '1' }, body: { detail: 'Request was throttled. Expected available in 1 second.' } };

/** Each kind of call a Shippo native batch makes. */
const CALLS: Array<[string, FaultMatch]> = [
  ['creating the Shippo batch', { operationId: 'CreateBatch' }],
  ['reading the Shippo batch', { operationId: 'GetBatch' }],
  ['reading a transaction', { operationId: 'GetTransaction' }],
  ['reading a rate', { operationId: 'GetRate' }],
  ['downloading a label file', { operationId: 'download_label_file' }],
];

/**
 * Shippo's native path while things go wrong at every step: lost answers, 5xx, 429s, workers
 * killed. Afterwards the Shippo batch was purchased once, no label was bought twice, and every
 * shipment ended, bought or failed with a message. The service talks real HTTP to the in-repo
 * fake Shippo, whose ledger proves what was sold and how often.
 */
describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('Shippo native batches under faults, %s mode', (mode, start) => {
  let shippo: FakeShippo;
  let h: Harness;
  let acme: Client;

  const tenant = async (harness: Harness) => {
    const anon = new Client(harness.baseUrl);
    return anon.withKey((await anon.post('/admin/tenants', { name: `faults-${randomUUID()}` }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key);
  };

  const account = async (client: Client, fake: FakeShippo) => {
    const token = `shippo_test_${randomUUID().replace(/-/g, '')}`;
    const objectId = randomUUID().replace(/-/g, '');
    fake.addAccount({ token, carrierAccounts: [{ objectId, carrier: 'usps' }] });
    const res = await client.post('/carrier_accounts', {
      provider: 'shippo',
      carrier: 'usps',
      account_id: objectId,
      parameters: { api_token: token, carrier_account: objectId, native_batch_min_size: 10, rate_limit_per_minute: 500 * SCALE },
    });
    expect(res.status).toBe(201);
    return res.body.object_id as string;
  };

  /** A valid batch of `n` shipments on a new account, and its shipment ids in batch order. */
  const validBatch = async (client: Client, fake: FakeShippo, n: number) => {
    const created = await client.post('/batches', {
      default_carrier_account: await account(client, fake),
      default_servicelevel_token: 'usps_priority',
      label_filetype: 'PDF_4x6',
      batch_shipments: Array.from({ length: n }, (_, i) => ({ shipment: { address_from: FROM, address_to: { ...TO, name: `Fault ${i}` }, parcels: [PARCEL] } })),
    });
    expect(created.status).toBe(201);
    const id = created.body.object_id as string;
    const valid = await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING', { attempts: 1200 });
    expect(valid.body.object_status).toBe('VALID');
    const ids: string[] = [];
    for (let page = 1; ids.length < n; page++) ids.push(...((await client.get(`/batches/${id}?page=${page}`)).body.batch_shipments.results as any[]).map((s) => s.object_id));
    return { id, ids };
  };

  const purchased = async (client: Client, id: string) => {
    expect((await client.post(`/batches/${id}/purchase`)).status).toBe(202);
    return eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 3000, intervalMs: 100 });
  };

  /**
   * Every shipment ended: bought once (Shippo sold exactly one label under its id) or failed with
   * a message (and sold none); no Shippo batch of this batch was purchased twice, and at most one
   * was purchased at all.
   */
  const expectEachOnce = async (client: Client, fake: FakeShippo, id: string, ids: string[], done: { body: any }) => {
    const { purchase_succeeded: bought, purchase_failed: failed } = done.body.object_results;
    expect(bought + failed).toBe(ids.length);
    const failures: any[] = [];
    for (let page = 1; failures.length < failed; page++) {
      failures.push(...((await client.get(`/batches/${id}?object_results=purchase_failed&page=${page}`)).body.batch_shipments.results as any[]));
    }
    for (const f of failures) expect(f.messages.length).toBeGreaterThan(0);
    const failedIds = new Set(failures.map((f) => f.object_id as string));
    for (const s of ids) expect({ s, sold: fake.salesFor(s) }).toEqual({ s, sold: failedIds.has(s) ? 0 : 1 });
    const theirs = fake.batches().filter((b) => b.metadata === id);
    for (const b of theirs) expect(fake.batchPurchaseCalls(b.objectId)).toBeLessThanOrEqual(1);
    expect(theirs.filter((b) => b.status === 'PURCHASING' || b.status === 'PURCHASED').length).toBeLessThanOrEqual(1);
    return theirs;
  };

  /** Tracking numbers in the batch's merged label files, file after file. */
  const mergedBarcodes = async (labelUrls: string[]) => {
    const out: string[] = [];
    for (const url of labelUrls) out.push(...(await readPdfLabels(Buffer.from(await (await fetch(url)).arrayBuffer()))).barcodes);
    return out;
  };

  beforeAll(async () => {
    shippo = await startFakeShippo({ limitScale: SCALE });
    h = await start({ env: { ...NATIVE_FAULT_ENV, SHIPPO_BASE_URL: shippo.url } });
    acme = await tenant(h);
  });

  afterEach(() => {
    shippo.faults.clear();
    expect(shippo.violations()).toEqual([]);
  });

  afterAll(async () => {
    await h?.close();
    await shippo?.close();
  });

  it.each(CALLS)('%s: a lost answer, then a 503, then a 429: every label bought once, the Shippo batch purchased once', async (_call, match) => {
    const { id, ids } = await validBatch(acme, shippo, 12);
    for (const fault of [LOST, UNAVAILABLE, THROTTLED]) shippo.faults.inject(fault, { ...match, times: 1 });
    const done = await purchased(acme, id);
    expect(shippo.faults.pending()).toBe(0);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 12, purchase_failed: 0 });
    const theirs = await expectEachOnce(acme, shippo, id, ids, done);
    expect(theirs.filter((b) => b.status === 'PURCHASED')).toHaveLength(1);
    expect(shippo.sales().filter((s) => ids.includes(s.metadata)).every((s) => s.via === 'batch')).toBe(true);
    expect(await mergedBarcodes(done.body.label_url)).toEqual(ids.map((s) => shippo.sales().find((sale) => sale.metadata === s)?.tracking_number));
  });

  it("the purchase's answer lost: Shippo bought the batch, the service only reads it, and collects every label", async () => {
    const { id, ids } = await validBatch(acme, shippo, 12);
    shippo.faults.inject(LOST, { operationId: 'PurchaseBatch', times: 1 });
    const done = await purchased(acme, id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 12, purchase_failed: 0 });
    const [batch] = await expectEachOnce(acme, shippo, id, ids, done);
    expect(shippo.batchPurchaseCalls(batch.objectId)).toBe(1);
    expect(shippo.sales().filter((s) => ids.includes(s.metadata)).every((s) => s.via === 'batch')).toBe(true);
  });

  it('the purchase answered 429: asked again after Retry-After, purchased once', async () => {
    const { id, ids } = await validBatch(acme, shippo, 12);
    shippo.faults.inject(THROTTLED, { operationId: 'PurchaseBatch', times: 1 });
    const done = await purchased(acme, id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 12, purchase_failed: 0 });
    const [batch] = await expectEachOnce(acme, shippo, id, ids, done);
    expect(shippo.batchPurchaseCalls(batch.objectId)).toBe(1);
    expect(shippo.requests().filter((r) => r.operationId === 'PurchaseBatch' && r.path.includes(batch.objectId))).toHaveLength(2);
  });

  it('the purchase answered 503 and not made: never asked again; once the Shippo batch stays unpurchased, each label is bought alone, looked up first', async () => {
    const { id, ids } = await validBatch(acme, shippo, 12);
    shippo.faults.inject(UNAVAILABLE, { operationId: 'PurchaseBatch', times: 1 });
    const done = await purchased(acme, id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 12, purchase_failed: 0 });
    const [batch] = await expectEachOnce(acme, shippo, id, ids, done);
    expect(batch.status).toBe('VALID');
    expect(shippo.requests().filter((r) => r.operationId === 'PurchaseBatch' && r.path.includes(batch.objectId))).toHaveLength(1);
    expect(shippo.sales().filter((s) => ids.includes(s.metadata)).every((s) => s.via === 'transaction')).toBe(true);
    // Each looked up before it was bought alone.
    expect(shippo.requests().some((r) => r.operationId === 'ListTransactions')).toBe(true);
  });

  it('random faults on every call (seeded: 10 % 503, 5 % lost answers, 5 % 429): every shipment ends once, bought or failed with a message', async () => {
    const { id, ids } = await validBatch(acme, shippo, 230);
    shippo.faults.injectRandom(
      [
        { fault: UNAVAILABLE, probability: 0.1 },
        { fault: LOST, probability: 0.05 },
        { fault: THROTTLED, probability: 0.05 },
      ],
      { seed: mode === 'embedded' ? 20 : 21 },
    );
    const done = await purchased(acme, id);
    await expectEachOnce(acme, shippo, id, ids, done);
    // Nothing here refuses a label for good: every one of them is bought in the end.
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 230, purchase_failed: 0 });
  });

  it('collects a Shippo batch of 450 from its 5 pages in parallel: every label once, merged in batch order', async () => {
    const { id, ids } = await validBatch(acme, shippo, 450);
    const done = await purchased(acme, id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 450, purchase_failed: 0 });
    const [batch] = await expectEachOnce(acme, shippo, id, ids, done);
    // Each of the 5 pages read (page 1 once more, for the count), each label read once.
    const reads = shippo.requests().filter((r) => r.operationId === 'GetBatch' && r.path.includes(batch.objectId) && r.at >= (shippo.requests().find((q) => q.operationId === 'PurchaseBatch' && q.path.includes(batch.objectId))?.at ?? 0));
    expect(new Set(reads.map((r) => String(r.query.page ?? '1')))).toEqual(new Set(['1', '2', '3', '4', '5']));
    const sold = new Set(shippo.sales().filter((s) => ids.includes(s.metadata)).map((s) => s.object_id));
    const transactionReads = shippo.requests().filter((r) => r.operationId === 'GetTransaction' && sold.has(r.path.split('/').pop() ?? ''));
    expect(transactionReads).toHaveLength(450);
    expect(done.body.label_url).toHaveLength(5);
    const tracking = new Map(shippo.sales().map((s) => [s.metadata, s.tracking_number]));
    expect(await mergedBarcodes(done.body.label_url)).toEqual(ids.map((s) => tracking.get(s)));
  });

  if (mode === 'scale-out') {
    it('two worker processes collect the pages at once; one SIGKILLed mid-collection, the other finishes: every label once', async () => {
      // Its own service and fake (slow label reads, so the kill lands mid-collection): only the two
      // child workers take jobs, logging each page they start and finish.
      const fake = await startFakeShippo({ limitScale: SCALE });
      const other = await start({ env: { ...NATIVE_FAULT_ENV, SHIPPO_BASE_URL: fake.url, LOG_LEVEL: 'debug' }, childWorkers: 2, inProcessWorker: false });
      try {
        const client = await tenant(other);
        const { id, ids } = await validBatch(client, fake, 600);
        fake.faults.inject({ kind: 'latency', ms: 1_000 }, { operationId: 'GetTransaction', times: Infinity });
        expect((await client.post(`/batches/${id}/purchase`)).status).toBe(202);
        const [victim, survivor] = other.children;
        const started = (w: typeof victim) => w.output().includes(`batch ${id}: native batch`) && /collecting page \d+ of labels/.test(w.output());
        // Both collect pages at once; then one dies with its pages half read.
        await eventually(async () => [victim, survivor].every(started), Boolean, { attempts: 3000, intervalMs: 20 });
        expect(victim.output()).not.toMatch(/native batch \S+ collected/);
        await victim.kill();
        fake.faults.clear();
        const done = await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 3000, intervalMs: 100 });
        expect(done.body.object_results).toMatchObject({ purchase_succeeded: 600, purchase_failed: 0 });
        const [batch] = await expectEachOnce(client, fake, id, ids, done);
        expect(fake.batchPurchaseCalls(batch.objectId)).toBe(1);
        expect(survivor.output()).toMatch(new RegExp(`batch ${id}: native batch \\S+ collected`));
        const tracking = new Map(fake.sales().map((s) => [s.metadata, s.tracking_number]));
        expect(await mergedBarcodes(done.body.label_url)).toEqual(ids.map((s) => tracking.get(s)));
        expect(fake.violations()).toEqual([]);
      } finally {
        await other.close();
        await fake.close();
      }
    }, 420_000);
  }
});
