import { randomUUID } from 'node:crypto';
import { eventually } from '@shipbatch/platform/testing';
import { readPdfLabels, startFakeShippo, startFakeShipStation } from '@shipbatch/providers/testing';
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
])('Shippo provider and mixed batches, %s mode', (_mode, start) => {
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
});
