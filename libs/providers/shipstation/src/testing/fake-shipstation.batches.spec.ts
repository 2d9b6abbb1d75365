import { readPdfLabels } from '@shipbatch/providers/testing';
import { type FakeShipStation, startFakeShipStation } from './fake-shipstation';
import { aShipStationShipFrom, aShipStationShipTo } from './shipstation-request.fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const KEY = 'key-alpha';
const PACKAGE = { weight: { value: 12, unit: 'ounce' }, dimensions: { unit: 'inch', length: 10, width: 6, height: 4 } };
const FILE = { label_format: 'pdf', label_layout: '4x6' };

describe('fake ShipStation batches (API v2)', () => {
  let fake: FakeShipStation;

  const call = async (method: string, path: string, body?: unknown, apiKey = KEY): Promise<{ status: number; json: Json }> => {
    const headers: Record<string, string> = { 'API-Key': apiKey };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${fake.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  const warehouse = async (name = 'Shipbatch w1', origin = aShipStationShipFrom()) => (await call('POST', '/v2/warehouses', { name, is_default: false, origin_address: origin, return_address: origin })).json.warehouse_id as string;
  const shipment = (externalId: string, warehouseId: string, overrides: Json = {}) => ({
    validate_address: 'no_validation',
    carrier_id: 'se-123',
    service_code: 'usps_priority_mail',
    external_shipment_id: externalId,
    warehouse_id: warehouseId,
    ship_to: aShipStationShipTo({ name: `To ${externalId}` }),
    packages: [PACKAGE],
    ...overrides,
  });
  const createShipments = (items: Json[]) => call('POST', '/v2/shipments', { shipments: items });
  /** n shipments `${prefix}-1..n` from one warehouse, made; their ShipStation ids. */
  const made = async (prefix: string, n: number, warehouseId: string) => {
    const res = await createShipments(Array.from({ length: n }, (_, i) => shipment(`${prefix}-${i + 1}`, warehouseId)));
    expect(res.json.has_errors).toBe(false);
    return (res.json.shipments as Json[]).map((s) => s.shipment_id as string);
  };
  /** Reads the batch until its status is final; the statuses seen, in order. */
  const settle = async (batchId: string) => {
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { json } = await call('GET', `/v2/batches/${batchId}`);
      seen.push(json.status);
      if (json.status.startsWith('completed')) return { seen, batch: json };
    }
    throw new Error(`batch ${batchId} did not finish: ${seen.join(', ')}`);
  };

  beforeEach(async () => {
    fake = await startFakeShipStation({ accounts: [{ apiKey: KEY, carriers: [{ carrierId: 'se-123', balance: 100 }, { carrierId: 'se-456', carrierCode: 'ups', services: ['ups_ground'] }] }] });
    fake.addAccount({ apiKey: 'key-beta', carriers: [{ carrierId: 'se-789', carrierCode: 'fedex', balance: 50 }] });
  });

  afterEach(async () => {
    const violations = fake.violations();
    await fake.close();
    expect(violations).toEqual([]);
  });

  it('keeps warehouses per key; the first one made is the default', async () => {
    const first = await warehouse('Shipbatch a');
    const second = await warehouse('Shipbatch b', aShipStationShipFrom({ postal_code: '94107' }));
    expect((await call('GET', '/v2/warehouses')).json.warehouses).toEqual([
      expect.objectContaining({ warehouse_id: first, name: 'Shipbatch a', is_default: true, origin_address: aShipStationShipFrom() }),
      expect.objectContaining({ warehouse_id: second, name: 'Shipbatch b', is_default: false, return_address: aShipStationShipFrom({ postal_code: '94107' }) }),
    ]);
    expect((await call('GET', '/v2/warehouses', undefined, 'key-beta')).json.warehouses).toEqual([]);
    expect(fake.warehouses(KEY).map((w) => w.name)).toEqual(['Shipbatch a', 'Shipbatch b']);
  });

  it('makes shipments in bulk from a warehouse; an external_shipment_id taken is that shipment\'s error and makes nothing', async () => {
    const w = await warehouse();
    const res = await createShipments([shipment('s-1', w), shipment('s-2', w, { service_code: 'ups_ground' }), shipment('s-3', 'se-999')]);
    expect(res.status).toBe(200);
    expect(res.json.has_errors).toBe(true);
    expect(res.json.shipments[0]).toMatchObject({ shipment_id: expect.stringMatching(/^se-\d+$/), external_shipment_id: 's-1', warehouse_id: w, shipment_status: 'pending', ship_from: aShipStationShipFrom(), errors: [] });
    expect(res.json.shipments[1]).toMatchObject({ external_shipment_id: 's-2', errors: [expect.stringContaining("Service 'ups_ground' is not offered")] });
    expect(res.json.shipments[2]).toMatchObject({ external_shipment_id: 's-3', errors: ['warehouse_id se-999 is not a warehouse of this account.'] });
    const again = await createShipments([shipment('s-1', w), shipment('s-4', w)]);
    expect(again.json.shipments[0]).toEqual(expect.objectContaining({ external_shipment_id: 's-1', errors: ["A shipment with external_shipment_id 's-1' already exists."] }));
    expect(again.json.shipments[0]).not.toHaveProperty('shipment_id');
    expect(again.json.shipments[1]).toMatchObject({ external_shipment_id: 's-4', errors: [] });
    expect(fake.shipmentsFor('s-1')).toBe(1);
    // Found again by external id (this key only), or listed since a time.
    expect((await call('GET', '/v2/shipments/external_shipment_id/s-1')).json).toMatchObject({ shipment_id: res.json.shipments[0].shipment_id, shipment_status: 'pending' });
    expect((await call('GET', '/v2/shipments/external_shipment_id/s-1', undefined, 'key-beta')).status).toBe(404);
    const listed = await call('GET', `/v2/shipments?created_at_start=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}&sort_by=created_at&sort_dir=asc&page_size=1&page=2`);
    expect(listed.json).toMatchObject({ total: 2, page: 2, pages: 2, shipments: [expect.objectContaining({ external_shipment_id: 's-4' })] });
    // A label bought alone keeps the id too: a bulk create cannot take it.
    expect((await call('POST', '/v2/labels', { shipment: { carrier_id: 'se-123', service_code: 'usps_priority_mail', external_shipment_id: 's-1', ship_to: aShipStationShipTo(), ship_from: aShipStationShipFrom(), packages: [PACKAGE] } })).json).toMatchObject({
      errors: [{ error_code: 'identifier_conflict', field_name: 'external_shipment_id' }],
    });
  });

  it('makes a batch with our external_batch_id, finds it again by it, and keeps it to one warehouse while open', async () => {
    const w1 = await warehouse();
    const w2 = await warehouse('Shipbatch w2', aShipStationShipFrom({ postal_code: '94107' }));
    const [a, b, c] = await made('one', 3, w1);
    const [other] = await made('two', 1, w2);
    const created = await call('POST', '/v2/batches', { external_batch_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', batch_notes: 'Shipbatch batch x', shipment_ids: [a, b] });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ batch_id: expect.stringMatching(/^se-\d+$/), external_batch_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', status: 'open', count: 0, errors: 0, completed: 0 });
    const batchId = created.json.batch_id as string;
    expect((await call('POST', '/v2/batches', { external_batch_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', shipment_ids: [c] })).json.errors[0]).toMatchObject({ error_code: 'identifier_conflict', field_name: 'external_batch_id' });
    expect((await call('GET', '/v2/batches/external_batch_id/a1b2c3d4e5f60718293a4b5c6d7e8f90')).json).toMatchObject({ batch_id: batchId, status: 'open' });
    expect((await call('GET', '/v2/batches/external_batch_id/nothing-here')).status).toBe(404);
    expect((await call('POST', `/v2/batches/${batchId}/add`, { shipment_ids: [other] })).json.errors[0]).toMatchObject({ error_code: 'warehouse_conflict' });
    expect((await call('POST', `/v2/batches/${batchId}/add`, { shipment_ids: [c] })).status).toBe(204);
    expect((await call('POST', `/v2/batches/${batchId}/remove`, { shipment_ids: [a] })).status).toBe(204);
    expect(fake.batches()).toEqual([expect.objectContaining({ batchId, externalBatchId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', status: 'open', shipmentIds: [b, c], processCalls: 0 })]);
  });

  it('processes a batch once: its status moves on over reads, every label is bought and listed by batch, page by page', async () => {
    const w = await warehouse();
    const ids = await made('p', 5, w);
    const { json: created } = await call('POST', '/v2/batches', { external_batch_id: 'batch-p', shipment_ids: ids });
    expect((await call('POST', `/v2/batches/${created.batch_id}/process/labels`, FILE)).status).toBe(204);
    const second = await call('POST', `/v2/batches/${created.batch_id}/process/labels`, FILE);
    expect(second).toMatchObject({ status: 400, json: { errors: [{ error_code: 'invalid_status' }] } });
    expect((await call('POST', `/v2/batches/${created.batch_id}/add`, { shipment_ids: ids })).json.errors[0]).toMatchObject({ error_code: 'batch_cannot_be_modified' });
    const { seen, batch } = await settle(created.batch_id);
    expect(seen).toEqual(['queued', 'processing', 'completed']);
    expect(batch).toMatchObject({ completed: 5, errors: 0, count: 5, processed_at: expect.any(String) });
    expect(fake.batches()[0].processCalls).toBe(2);
    expect(fake.balance('se-123')).toBeCloseTo(100 - 5 * 7.58);
    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push((await call('GET', `/v2/labels?batch_id=${created.batch_id}&page=${page}&page_size=2&sort_by=created_at&sort_dir=asc`)).json);
    expect(pages.map((p) => [p.page, p.pages, p.total, p.labels.length])).toEqual([
      [1, 3, 5, 2],
      [2, 3, 5, 2],
      [3, 3, 5, 1],
    ]);
    const labels = pages.flatMap((p) => p.labels);
    expect(labels.map((l) => l.external_shipment_id)).toEqual(['p-1', 'p-2', 'p-3', 'p-4', 'p-5']);
    expect(labels[0]).toMatchObject({ status: 'completed', batch_id: created.batch_id, shipment_id: ids[0], label_download: { href: expect.any(String) } });
    const { barcodes } = await readPdfLabels(new Uint8Array(await (await fetch(labels[4].label_download.href)).arrayBuffer()));
    expect(barcodes).toEqual([labels[4].tracking_number]);
    expect((await call('GET', '/v2/shipments/external_shipment_id/p-1')).json.shipment_status).toBe('label_purchased');
    expect(fake.salesFor('p-1')).toBe(1);
  });

  it("lists what a batch could not buy with ShipStation's text, on the right shipments: insufficient funds and a carrier's refusal", async () => {
    fake.setBalance('se-123', 7.58 * 3 + 1);
    const w = await warehouse();
    const ids = await made('f', 5, w);
    fake.failPurchaseOf('f-2', 'Recipient address has not been verified.');
    const { json: created } = await call('POST', '/v2/batches', { external_batch_id: 'batch-f', shipment_ids: ids });
    await call('POST', `/v2/batches/${created.batch_id}/process/labels`, { label_format: 'pdf', label_layout: 'letter' });
    const { batch } = await settle(created.batch_id);
    expect(batch).toMatchObject({ status: 'completed_with_errors', completed: 3, errors: 2, count: 5, label_format: 'pdf', label_layout: 'letter' });
    const first = (await call('GET', `/v2/batches/${created.batch_id}/errors?page=1&pagesize=1`)).json;
    const second = (await call('GET', `/v2/batches/${created.batch_id}/errors?page=2&pagesize=1`)).json;
    expect([...first.errors, ...second.errors]).toEqual([
      { error: 'Recipient address has not been verified.', shipment_id: ids[1], external_shipment_id: 'f-2' },
      { error: 'Insufficient account balance', shipment_id: ids[4], external_shipment_id: 'f-5' },
    ]);
    expect(first.links).toMatchObject({ first: { href: expect.stringContaining('page=1') }, last: { href: expect.stringContaining('page=2') }, next: { href: expect.stringContaining('page=2') }, prev: {} });
    // A shipment the batch could not buy is still there, and can be bought alone, once.
    fake.setBalance('se-123', 50);
    const alone = await call('POST', `/v2/labels/shipment/${ids[4]}`, FILE);
    expect(alone).toMatchObject({ status: 200, json: { external_shipment_id: 'f-5', batch_id: '' } });
    expect((await call('POST', `/v2/labels/shipment/${ids[4]}`, FILE)).json.errors[0]).toMatchObject({ error_code: 'invalid_status' });
    expect((await call('POST', `/v2/labels/shipment/${ids[0]}`, FILE)).json.errors[0]).toMatchObject({ error_code: 'invalid_status' });
    expect(fake.salesFor('f-5')).toBe(1);
    expect(fake.salesFor('f-2')).toBe(0);
  });

  it('loses answers, fails and limits batch calls like any other: a lost process answer still processes, once', async () => {
    const w = await warehouse();
    const ids = await made('l', 2, w);
    const { json: created } = await call('POST', '/v2/batches', { external_batch_id: 'batch-l', shipment_ids: ids });
    fake.faults.inject({ kind: 'lost_answer' }, { operationId: 'process_batch' });
    await expect(call('POST', `/v2/batches/${created.batch_id}/process/labels`, FILE)).rejects.toThrow();
    fake.faults.inject({ kind: 'status', status: 503, body: { message: 'unavailable' } }, { operationId: 'get_batch_by_id' });
    expect((await call('GET', `/v2/batches/${created.batch_id}`)).status).toBe(503);
    expect((await settle(created.batch_id)).batch).toMatchObject({ status: 'completed', completed: 2 });
    expect(fake.batches()[0].processCalls).toBe(1);
  });

  it('counts batch calls under the same per-key limit', async () => {
    const limited = await startFakeShipStation({ rateLimitPerMinute: 3, accounts: [{ apiKey: 'k', carriers: [{ carrierId: 'se-1' }] }] });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${limited.url}/v2/warehouses`, { headers: { 'API-Key': 'k' } })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(limited.stats('k')).toMatchObject({ requests: 4, answered429: 1 });
    } finally {
      await limited.close();
    }
  });
});
