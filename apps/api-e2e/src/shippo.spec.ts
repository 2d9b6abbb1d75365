import { randomUUID } from 'node:crypto';
import { eventually } from '@shipbatch/platform/testing';
import { readPdfLabels } from '@shipbatch/providers/testing';
import { startFakeShippo } from '@shipbatch/providers/shippo/testing';
import { startFakeShipStation } from '@shipbatch/providers/shipstation/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US', phone: '4151234567' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US', phone: '4155550100' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' };

/**
 * Shippo as a backend, end to end, and one batch across providers: the service in both modes
 * talks real HTTP to in-repo fakes of Shippo and ShipStation (every request and answer checked
 * against their OpenAPI files); their ledgers prove what was sold and how often.
 */
describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('Shippo provider and mixed batches, %s mode', (mode, start) => {
  let shippo: Awaited<ReturnType<typeof startFakeShippo>>;
  let shipstation: Awaited<ReturnType<typeof startFakeShipStation>>;
  let h: Harness;
  let acme: Client;

  const shippoAccount = async (parameters: Record<string, unknown> = {}) => {
    const token = `shippo_test_${randomUUID().replace(/-/g, '')}`;
    const objectId = randomUUID().replace(/-/g, '');
    shippo.addAccount({ token, carrierAccounts: [{ objectId, carrier: 'usps' }] });
    const res = await acme.post('/carrier_accounts', {
      provider: 'shippo',
      carrier: 'usps',
      account_id: objectId,
      parameters: { api_token: token, carrier_account: objectId, ...parameters },
    });
    expect(res.status).toBe(201);
    return res.body.object_id as string;
  };

  const batchOf = async (shipments: Array<{ carrier_account?: string; name: string }>, defaultAccount: string) => {
    const res = await acme.post('/batches', {
      default_carrier_account: defaultAccount,
      default_servicelevel_token: 'usps_priority',
      label_filetype: 'PDF_4x6',
      batch_shipments: shipments.map((s) => ({
        shipment: { address_from: FROM, address_to: { ...TO, name: s.name }, parcels: [PARCEL] },
        ...(s.carrier_account ? { carrier_account: s.carrier_account } : {}),
      })),
    });
    expect(res.status).toBe(201);
    const id = res.body.object_id as string;
    const valid = await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING');
    expect(valid.body.object_status).toBe('VALID');
    return id;
  };

  const purchase = async (id: string) => {
    expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);
    return eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 1500 });
  };

  const shipmentIds = async (id: string) => ((await acme.get(`/batches/${id}`)).body.batch_shipments.results as any[]).map((s) => s.object_id as string);

  /** Tracking numbers in the batch's merged label files, file after file. */
  const mergedBarcodes = async (labelUrls: string[]) => {
    const out: string[] = [];
    for (const url of labelUrls) out.push(...(await readPdfLabels(Buffer.from(await (await fetch(url)).arrayBuffer()))).barcodes);
    return out;
  };

  beforeAll(async () => {
    shippo = await startFakeShippo();
    shipstation = await startFakeShipStation();
    h = await start({ env: { SHIPPO_BASE_URL: shippo.url, SHIPSTATION_BASE_URL: shipstation.url } });
    const anon = new Client(h.baseUrl);
    acme = anon.withKey((await anon.post('/admin/tenants', { name: 'shippo' }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key);
  });

  afterEach(() => {
    shippo.faults.clear();
    expect(shippo.violations()).toEqual([]);
    expect(shipstation.violations()).toEqual([]);
  });

  afterAll(async () => {
    await h?.close();
    await shippo?.close();
    await shipstation?.close();
  });

  it('buys a share below native_batch_min_size one transaction at a time, QUEUED ones included', async () => {
    const account = await shippoAccount();
    shippo.queueNext(2, 2);
    const id = await batchOf([{ name: 'One' }, { name: 'Two' }, { name: 'Three' }], account);
    const done = await purchase(id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 3, purchase_failed: 0 });
    for (const s of await shipmentIds(id)) expect(shippo.salesFor(s)).toBe(1);
    expect(shippo.batches()).toHaveLength(0);
    expect(shippo.sales().filter((s) => s.via === 'transaction').length).toBeGreaterThanOrEqual(3);
  });

  it('buys a share at or above native_batch_min_size through one Shippo batch, purchased once, failures kept', async () => {
    const account = await shippoAccount({ native_batch_min_size: '4' });
    const id = await batchOf(['A', 'B', 'C', 'D', 'E'].map((name) => ({ name })), account);
    const ids = await shipmentIds(id);
    shippo.failPurchaseOf(ids[2], 'The carrier refused this parcel.');
    const done = await purchase(id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 4, purchase_failed: 1 });
    const [batch] = shippo.batches().filter((b) => b.metadata === id);
    expect(batch).toBeDefined();
    expect(shippo.batchPurchaseCalls(batch.objectId)).toBe(1);
    const failed = (await acme.get(`/batches/${id}?object_results=purchase_failed`)).body.batch_shipments.results;
    expect(failed.map((s: any) => s.object_id)).toEqual([ids[2]]);
    expect(failed[0].messages[0].text).toMatch(/refused this parcel/);
    // Every bought label's file was downloaded: the merged file holds them in batch order.
    const { barcodes } = await readPdfLabels(Buffer.from(await (await fetch(done.body.label_url[0])).arrayBuffer()));
    const tracking = new Map(shippo.sales().map((s) => [s.metadata, s.tracking_number]));
    expect(barcodes).toEqual(ids.filter((s) => s !== ids[2]).map((s) => tracking.get(s)));
    // A retry of the failure goes through a single transaction.
    const retried = await purchase(id);
    expect(retried.body.object_results).toMatchObject({ purchase_succeeded: 5, purchase_failed: 0 });
    expect(shippo.batches().filter((b) => b.metadata === id)).toHaveLength(1);
    for (const s of ids) expect(shippo.salesFor(s)).toBe(1);
  });

  it('never buys twice when Shippo loses an answer or fails with 5xx, and refunds through Shippo', async () => {
    const account = await shippoAccount();
    shippo.faults.inject({ kind: 'lost_answer' }, { method: 'POST', path: '/transactions', times: 1 });
    shippo.faults.inject({ kind: 'status', status: 502, body: { detail: 'bad gateway' } }, { method: 'POST', path: '/transactions', times: 1 });
    const id = await batchOf([{ name: 'Lost' }, { name: 'Gateway' }, { name: 'Fine' }], account);
    const done = await purchase(id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 3, purchase_failed: 0 });
    for (const s of await shipmentIds(id)) expect(shippo.salesFor(s)).toBe(1);
    const label = (await acme.get(`/v2/labels?batch_id=${id}`)).body.labels[0];
    const voided = await acme.put(`/v2/labels/${label.label_id}/void`);
    expect(voided.body.approved).toBe(true);
    expect(shippo.sales().find((s) => s.tracking_number === label.tracking_number)?.refunded).toBe(true);
  });

  it('buys one batch across the mock, ShipStation and Shippo, each share through its own provider', async () => {
    const mock = (await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'mock', parameters: {} })).body.object_id;
    const apiKey = `TEST_${randomUUID()}`;
    shipstation.addAccount({ apiKey, carriers: [{ carrierId: 'se-77', carrierCode: 'stamps_com', balance: 1000 }] });
    const ss = (
      await acme.post('/carrier_accounts', { provider: 'shipstation', carrier: 'usps', account_id: 'se-77', parameters: { api_key: apiKey, carrier_id: 'se-77' } })
    ).body.object_id;
    const sp = await shippoAccount({ native_batch_min_size: 3 });
    const plan = [mock, ss, sp, mock, sp, ss, sp];
    const id = await batchOf(plan.map((carrier_account, i) => ({ carrier_account, name: `Mixed ${i}` })), mock);
    const done = await purchase(id);
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 7, purchase_failed: 0 });

    const labels = (await acme.get(`/v2/labels?batch_id=${id}&sort_dir=asc&page_size=25`)).body.labels as any[];
    expect(labels).toHaveLength(7);
    expect(labels.map((l) => l.carrier_id).sort()).toEqual([...plan].sort());
    // The Shippo share (3) went through one Shippo batch; ShipStation sold its two.
    expect(shippo.batches().filter((b) => b.metadata === id)).toHaveLength(1);
    expect(shipstation.sales().filter((s) => s.carrierId === 'se-77')).toHaveLength(2);
    // One merged file, every label in batch order, whichever provider sold it.
    const results = (await acme.get(`/batches/${id}`)).body.batch_shipments.results as any[];
    const numbers = await Promise.all(results.map(async (s) => (await acme.get(`/transactions/${s.transaction}`)).body.tracking_number));
    const { barcodes } = await readPdfLabels(Buffer.from(await (await fetch(done.body.label_url[0])).arrayBuffer()));
    expect(barcodes).toEqual(numbers);
  });

  it("fails a shipment Shippo's batch validation finds invalid, takes it out of the Shippo batch, buys the rest once, and buys it alone on retry", async () => {
    const account = await shippoAccount({ native_batch_min_size: '4' });
    const id = await batchOf(['V1', 'V2', 'V3', 'V4', 'V5'].map((name) => ({ name })), account);
    const ids = await shipmentIds(id);
    const bad = ids[1];
    const good = ids.filter((s) => s !== bad);
    // Shippo validates a batch when it is created, and that happens when the purchase starts.
    const why = 'USPS could not find 965 Mission St in San Francisco, CA 94103.';
    shippo.failValidationOf(bad, why);
    const done = await purchase(id);
    expect(done.body.object_results).toEqual({ creation_succeeded: 5, creation_failed: 0, purchase_succeeded: 4, purchase_failed: 1 });

    // Ours: the invalid one failed with Shippo's words, the others bought.
    const failed = (await acme.get(`/batches/${id}?object_results=purchase_failed`)).body.batch_shipments.results as any[];
    expect(failed.map((s) => s.object_id)).toEqual([bad]);
    expect(failed[0]).toMatchObject({ object_status: 'TRANSACTION_FAILED', transaction: null });
    expect(failed[0].messages).toEqual(expect.arrayContaining([expect.objectContaining({ text: why })]));
    const succeeded = (await acme.get(`/batches/${id}?object_results=purchase_succeeded`)).body.batch_shipments.results as any[];
    expect(succeeded.map((s) => s.object_id)).toEqual(good);

    // Shippo's: one batch, the invalid shipment removed from it before the one purchase.
    const theirs = shippo.batches().filter((b) => b.metadata === id);
    expect(theirs).toHaveLength(1);
    const [batch] = theirs;
    expect(batch.validated.find((s) => s.metadata === bad)?.status).toBe('INVALID');
    expect(batch.status).toBe('PURCHASED');
    expect(batch.shipments.map((s) => s.metadata)).toEqual(good);
    expect(shippo.batchPurchaseCalls(batch.objectId)).toBe(1);
    const removals = shippo.requests().filter((r) => r.operationId === 'RemoveShipmentsFromBatch' && r.path.includes(batch.objectId));
    expect(removals.map((r) => r.body)).toEqual([[batch.validated.find((s) => s.metadata === bad)?.objectId]]);
    expect(shippo.salesFor(bad)).toBe(0);
    for (const s of good) expect(shippo.sales().filter((sale) => sale.metadata === s).map((sale) => [sale.via, sale.batch])).toEqual([['batch', batch.objectId]]);

    // The merged file holds the four bought labels in batch order; the transactions agree.
    const tracking = () => new Map(shippo.sales().map((s) => [s.metadata, s.tracking_number]));
    expect(done.body.label_url).toHaveLength(1);
    expect(await mergedBarcodes(done.body.label_url)).toEqual(good.map((s) => tracking().get(s)));
    for (const s of succeeded) expect((await acme.get(`/transactions/${s.transaction}`)).body.tracking_number).toBe(tracking().get(s.object_id));

    // A retry buys the failed one through a single transaction: Shippo's address check (still
    // armed) is its batch validation, which a transaction does not go through.
    const retried = await purchase(id);
    expect(retried.body.object_results).toEqual({ creation_succeeded: 5, creation_failed: 0, purchase_succeeded: 5, purchase_failed: 0 });
    expect(shippo.sales().filter((s) => s.metadata === bad).map((s) => s.via)).toEqual(['transaction']);
    expect(shippo.batches().filter((b) => b.metadata === id)).toHaveLength(1);
    expect(shippo.batchPurchaseCalls(batch.objectId)).toBe(1);
    for (const s of ids) expect(shippo.salesFor(s)).toBe(1);
    expect(retried.body.label_url).toHaveLength(1);
    expect(await mergedBarcodes(retried.body.label_url)).toEqual(ids.map((s) => tracking().get(s)));
  });

  it("buys a fast account's share without waiting for a rate-limited account's share of the same batch", async () => {
    const mock = (
      await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'mock-fast', parameters: { label_cost: 1, initial_balance: 100 } })
    ).body.object_id as string;
    // 30 calls a minute: the service paces this account's purchases ~2 s apart, so its 8 take ~16 s.
    const paced = await shippoAccount({ rate_limit_per_minute: 30 });
    const plan = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? paced : mock));
    const id = await batchOf(plan.map((carrier_account, i) => ({ carrier_account, name: `Paced ${i}` })), mock);
    const ids = await shipmentIds(id);
    const mockIds = ids.filter((_, i) => plan[i] === mock);
    const pacedIds = ids.filter((_, i) => plan[i] === paced);
    expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);

    // As a client polling the batch: the first time every mock shipment shows bought, the paced
    // share must still be under way (ordering, not time).
    const bought = async () =>
      new Set(((await acme.get(`/batches/${id}?object_results=purchase_succeeded`)).body.batch_shipments.results as any[]).map((s) => s.object_id as string));
    const firstAllMock = await eventually(bought, (seen) => mockIds.every((s) => seen.has(s)), { attempts: 3000, intervalMs: 50 });
    const pacedBoughtThen = pacedIds.filter((s) => firstAllMock.has(s));
    expect(pacedBoughtThen.length).toBeLessThan(pacedIds.length);

    const done = await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 1500 });
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 16, purchase_failed: 0 });
    for (const s of pacedIds) expect(shippo.salesFor(s)).toBe(1);
    // The mock debits every label it sells: 8 labels at 1.00.
    expect((await acme.get(`/carrier_accounts/${mock}/balance`)).body.amount).toBe(92);
    const labels = (await acme.get(`/v2/labels?batch_id=${id}&page_size=25`)).body.labels as any[];
    expect(labels.map((l) => l.carrier_id).sort()).toEqual([...plan].sort());
  });

  if (mode === 'scale-out') {
    it('buys a native batch exactly once when the worker running it is SIGKILLed right after asking Shippo to buy it', async () => {
      // Its own service and fake: only worker processes take jobs (no in-process worker), so the
      // victim is the one running the native batch.
      const fake = await startFakeShippo({ batchPendingReads: 2 });
      const other = await start({ env: { SHIPPO_BASE_URL: fake.url }, childWorkers: 1, inProcessWorker: false });
      try {
        const [victim] = other.children;
        const anon = new Client(other.baseUrl);
        const client = anon.withKey((await anon.post('/admin/tenants', { name: 'killed' }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key);
        const token = `shippo_test_${randomUUID().replace(/-/g, '')}`;
        const carrierAccount = randomUUID().replace(/-/g, '');
        fake.addAccount({ token, carrierAccounts: [{ objectId: carrierAccount, carrier: 'usps' }] });
        const account = (
          await client.post('/carrier_accounts', {
            provider: 'shippo',
            carrier: 'usps',
            account_id: carrierAccount,
            parameters: { api_token: token, carrier_account: carrierAccount, native_batch_min_size: 10, rate_limit_per_minute: 6000 },
          })
        ).body.object_id as string;
        const n = 160;
        const created = await client.post('/batches', {
          default_carrier_account: account,
          default_servicelevel_token: 'usps_priority',
          label_filetype: 'PDF_4x6',
          batch_shipments: Array.from({ length: n }, (_, i) => ({ shipment: { address_from: FROM, address_to: { ...TO, name: `Killed ${i}` }, parcels: [PARCEL] } })),
        });
        expect(created.status).toBe(201);
        const id = created.body.object_id as string;
        const valid = await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING', { attempts: 1200 });
        expect(valid.body.object_status).toBe('VALID');
        const ids: string[] = [];
        for (let page = 1; ids.length < n; page++) ids.push(...((await client.get(`/batches/${id}?page=${page}`)).body.batch_shipments.results as any[]).map((s) => s.object_id));

        // Shippo takes the purchase request 3 s after it arrives: the worker dies while it is out.
        fake.faults.inject({ kind: 'latency', ms: 3_000 }, { method: 'POST', path: /^\/batches\/[^/]+\/purchase$/, times: 1 });
        expect((await client.post(`/batches/${id}/purchase`)).status).toBe(202);
        await eventually(async () => fake.requests().filter((r) => r.operationId === 'PurchaseBatch').length, (c) => c > 0, { attempts: 3000, intervalMs: 10 });
        await victim.kill();
        const theirs = fake.batches().filter((b) => b.metadata === id);
        expect(theirs).toHaveLength(1);
        const [batch] = theirs;
        // Shippo bought the batch all the same; nothing is recorded on our side yet.
        await eventually(async () => fake.batchPurchaseCalls(batch.objectId), (c) => c === 1, { attempts: 100 });
        expect((await client.get(`/batches/${id}`)).body).toMatchObject({ object_status: 'PURCHASING', object_results: { purchase_succeeded: 0 } });

        // A fresh worker resumes it from what was recorded (the dead worker's lease runs out first).
        const survivor = await other.spawnWorker();
        const done = await eventually(() => client.get(`/batches/${id}`), (r) => r.body.object_status === 'PURCHASED', { attempts: 3000, intervalMs: 100 });
        expect(done.body.object_results).toMatchObject({ purchase_succeeded: n, purchase_failed: 0 });
        for (const s of ids) expect({ s, sold: fake.salesFor(s) }).toEqual({ s, sold: 1 });
        expect(fake.sales().every((s) => s.via === 'batch' && s.batch === batch.objectId)).toBe(true);
        expect(fake.batches().filter((b) => b.metadata === id)).toHaveLength(1);
        expect(fake.batchPurchaseCalls(batch.objectId)).toBe(1);
        // Every label collected and merged, in batch order (100 a file).
        const tracking = new Map(fake.sales().map((s) => [s.metadata, s.tracking_number]));
        expect(done.body.label_url).toHaveLength(2);
        expect(await mergedBarcodes(done.body.label_url)).toEqual(ids.map((s) => tracking.get(s)));
        // The victim had created the Shippo batch; the fresh worker collected it.
        expect(victim.output()).toContain(`batch ${id}: native batch`);
        expect(victim.output()).toContain(`is provider batch ${batch.objectId}`);
        expect(survivor.output()).toMatch(new RegExp(`batch ${id}: native batch \\S+ collected`));
        expect(fake.violations()).toEqual([]);
      } finally {
        await other.close();
        await fake.close();
      }
    }, 420_000);
  }
});
