import { decodePngBarcode, readPdfLabels, readZplLabels } from '@shipbatch/providers/testing';
import { type FakeShippo, FAKE_SHIPPO_API_VERSION, startFakeShippo } from './fake-shippo';
import { aShippoAddress, aShippoShipment, aShippoTransactionRequest } from './shippo-request.fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TOKEN = 'shippo_test_alpha';
const USPS = 'a'.repeat(32);
const UPS = 'b'.repeat(32);

describe('fake Shippo (API 2018-02-08)', () => {
  let fake: FakeShippo;

  const call = async (method: string, path: string, body?: unknown, token: string | null = TOKEN, version: string | null = FAKE_SHIPPO_API_VERSION) => {
    const headers: Record<string, string> = {};
    if (token !== null) headers['Authorization'] = `ShippoToken ${token}`;
    if (version !== null) headers['SHIPPO-API-VERSION'] = version;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${fake.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : undefined) as Json };
  };
  const buy = (input: Partial<Parameters<typeof aShippoTransactionRequest>[0]> = {}) => call('POST', '/transactions', aShippoTransactionRequest({ carrierAccount: USPS, ...input }));
  const aBatch = (shipments: Json[], metadata = 'batch-1') =>
    call('POST', '/batches', { default_carrier_account: USPS, default_servicelevel_token: 'usps_priority', label_filetype: 'PDF_4x6', metadata, batch_shipments: shipments });

  beforeEach(async () => {
    fake = await startFakeShippo({ accounts: [{ token: TOKEN, carrierAccounts: [{ objectId: USPS, carrier: 'usps' }, { objectId: UPS, carrier: 'ups', serviceLevels: ['ups_ground'] }] }] });
  });
  afterEach(() => fake.close());

  it("answers 401 in Shippo's shape without a ShippoToken or with an unknown one, and 400 without the API version", async () => {
    for (const token of [null, 'unknown']) {
      const res = await call('GET', '/transactions', undefined, token);
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ detail: expect.any(String) });
    }
    const noVersion = await call('GET', '/transactions', undefined, TOKEN, null);
    expect(noVersion.status).toBe(400);
    expect(noVersion.json.detail).toContain('SHIPPO-API-VERSION');
    expect((await call('GET', '/transactions', undefined, TOKEN, '2017-01-01')).status).toBe(400);
    expect(fake.violations()).toEqual([]);
  });

  it('sells an instant transaction: SUCCESS with the rate, a tracking number, a label URL; recorded with its metadata', async () => {
    const res = await buy({ metadata: 'ship-42' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      object_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      status: 'SUCCESS',
      metadata: 'ship-42',
      tracking_number: expect.stringMatching(/^\d{22}$/),
      label_url: expect.stringContaining(`${fake.url}/labels/`),
      label_file_type: 'PDF_4x6',
      rate: { amount: '7.58', currency: 'USD', servicelevel_token: 'usps_priority', carrier_account: USPS },
    });
    expect(fake.sales()).toEqual([expect.objectContaining({ object_id: res.json.object_id, metadata: 'ship-42', carrier_account: USPS, servicelevel: 'usps_priority', via: 'transaction', refunded: false })]);
    expect(fake.salesFor('ship-42')).toBe(1);
    const read = await call('GET', `/transactions/${res.json.object_id}`);
    expect(read.json).toMatchObject({ object_id: res.json.object_id, status: 'SUCCESS', rate: expect.any(String) });
    const rate = await call('GET', `/rates/${read.json.rate}`);
    expect(rate.json).toMatchObject({ amount: '7.58', currency: 'USD', servicelevel: { token: 'usps_priority' } });
    expect(fake.violations()).toEqual([]);
  });

  it('answers QUEUED for the first N purchases, SUCCESS after K polls', async () => {
    fake.queueNext(1, 2);
    const queued = await buy({ metadata: 'q-1' });
    expect(queued.json).toMatchObject({ status: 'QUEUED', tracking_number: '', label_url: '' });
    const id = queued.json.object_id;
    expect((await call('GET', `/transactions/${id}`)).json.status).toBe('QUEUED');
    expect((await call('GET', `/transactions/${id}`)).json).toMatchObject({ status: 'SUCCESS', tracking_number: expect.any(String) });
    expect((await buy({ metadata: 'q-2' })).json.status).toBe('SUCCESS');
    expect(fake.violations()).toEqual([]);
  });

  it("answers ERROR with Shippo's messages for a shipment it cannot sell, and sells nothing", async () => {
    const res = await buy({ metadata: 'bad', shipment: aShippoShipment({ address_to: aShippoAddress({ street1: '', zip: '9410' }) }), servicelevel: 'usps_nope' });
    expect(res.status).toBe(201);
    expect(res.json.status).toBe('ERROR');
    expect(res.json.messages).toEqual(
      expect.arrayContaining([
        { source: 'USPS', code: 'servicelevel_unavailable', text: expect.stringContaining('usps_nope') },
        { source: 'Shippo', code: 'address_incomplete', text: 'address_to.street1 is required for purchase.' },
        { source: 'USPS', code: 'invalid_postal_code', text: expect.stringContaining('9410') },
      ]),
    );
    fake.failPurchaseOf('armed', 'Carrier down');
    expect((await buy({ metadata: 'armed' })).json).toMatchObject({ status: 'ERROR', messages: [{ code: 'carrier_error', text: 'Carrier down' }] });
    expect(fake.sales()).toEqual([]);
    expect(fake.violations()).toEqual([]);
  });

  it('refuses a request that does not conform to the document (400 naming the field)', async () => {
    const res = await call('POST', '/transactions', { carrier_account: USPS, servicelevel_token: 'usps_priority' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toContain('shipment');
    expect(fake.violations()).toEqual([expect.stringContaining('request does not conform')]);
  });

  it("refuses (404) an operation of Shippo's API that its kept description lacks, as a violation", async () => {
    const res = await call('POST', '/addresses', { name: 'Mr Hippo', country: 'US' });
    expect(res.status).toBe(404);
    expect(fake.violations()).toEqual([expect.stringMatching(/^POST \/addresses: unknown route: no operation of the document serves \/addresses/)]);
  });

  it('lists transactions newest first, 100 a page at most, with object_created and next', async () => {
    for (let i = 0; i < 5; i++) await buy({ metadata: `m-${i}` });
    const first = await call('GET', '/transactions?page=1&results=2');
    expect(first.json.results.map((t: Json) => t.metadata)).toEqual(['m-4', 'm-3']);
    expect(first.json.results[0].object_created).toEqual(expect.any(String));
    expect(first.json.next).toContain('page=2');
    const last = await call('GET', '/transactions?page=3&results=2');
    expect(last.json.results.map((t: Json) => t.metadata)).toEqual(['m-0']);
    expect(last.json.next).toBeUndefined();
    expect((await call('GET', '/transactions?results=101')).status).toBe(400);
  });

  it('serves label files: a PDF whose barcode decodes to the tracking number, PNG and ZPL too', async () => {
    const { json: pdfT } = await buy({ labelFileType: 'PDF_4x6' });
    const pdf = new Uint8Array(await (await fetch(pdfT.label_url)).arrayBuffer());
    const read = await readPdfLabels(pdf);
    expect(read.barcodes).toEqual([pdfT.tracking_number]);
    expect(read.pages[0]).toMatchObject({ width: 288, height: 432 });
    const { json: pngT } = await buy({ labelFileType: 'PNG' });
    expect(await decodePngBarcode(new Uint8Array(await (await fetch(pngT.label_url)).arrayBuffer()))).toBe(pngT.tracking_number);
    const { json: zplT } = await buy({ labelFileType: 'ZPLII' });
    expect(readZplLabels(await (await fetch(zplT.label_url)).text()).barcodes).toEqual([zplT.tracking_number]);
    expect(fake.violations()).toEqual([]);
  });

  it('refunds a transaction once: QUEUED, the sale marked refunded; a second refund refused', async () => {
    const { json: t } = await buy({ metadata: 'r-1' });
    const refund = await call('POST', '/refunds', { transaction: t.object_id });
    expect(refund.status).toBe(201);
    expect(refund.json).toMatchObject({ status: 'QUEUED', transaction: t.object_id });
    expect(fake.sales()[0].refunded).toBe(true);
    expect((await call('GET', `/transactions/${t.object_id}`)).json.status).toBe('REFUNDPENDING');
    const again = await call('POST', '/refunds', { transaction: t.object_id });
    expect(again.status).toBe(400);
    expect(again.json.transaction[0]).toMatch(/already/);
    const unknown = await call('POST', '/refunds', { transaction: 'f'.repeat(32) });
    expect(unknown.json.transaction[0]).toMatch(/does not exist/);
    expect(fake.violations()).toEqual([]);
  });

  it('limits each kind of call per token on its own window (429 with Retry-After): purchases, batch creation', async () => {
    await fake.close();
    fake = await startFakeShippo({ limits: { CreateTransaction: 2, CreateBatch: 1 }, accounts: [{ token: TOKEN, carrierAccounts: [{ objectId: USPS, carrier: 'usps' }] }] });
    const first = await buy();
    expect(first.status).toBe(201);
    expect((await buy()).status).toBe(201);
    const limited = await buy();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.json.detail).toMatch(/throttled/);
    // Reads have a window of their own (Shippo: 4,000 a minute for a GET of one transaction).
    expect((await call('GET', `/transactions/${first.json.object_id}`)).status).toBe(200);
    expect((await aBatch([{ shipment: aShippoShipment(), metadata: 'b1' }])).status).toBe(201);
    expect((await aBatch([{ shipment: aShippoShipment(), metadata: 'b2' }])).status).toBe(429);
    expect(fake.stats(TOKEN)).toMatchObject({ answered429: 2, batchCreates: 2 });
    expect(fake.violations()).toEqual([]);
  });

  it('creates a batch VALIDATING, shows VALID/INVALID after the pending reads, removes shipments, purchases once', async () => {
    const created = await aBatch([
      { shipment: aShippoShipment(), metadata: 's-1' },
      { shipment: aShippoShipment({ address_to: aShippoAddress({ city: '' }) }), metadata: 's-2' },
      { shipment: aShippoShipment(), metadata: 's-3', carrier_account: UPS, servicelevel_token: 'ups_ground' },
    ]);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: 'VALIDATING', metadata: 'batch-1', batch_shipments: { results: [] } });
    const id = created.json.object_id;
    expect((await call('GET', `/batches/${id}`)).json.status).toBe('VALIDATING');
    const validated = await call('GET', `/batches/${id}`);
    expect(validated.json.status).toBe('INVALID');
    expect(validated.json.batch_shipments.results.map((s: Json) => [s.metadata, s.status])).toEqual([['s-1', 'VALID'], ['s-2', 'INVALID'], ['s-3', 'VALID']]);
    expect(validated.json.object_results).toEqual({ creation_succeeded: 2, creation_failed: 1, purchase_succeeded: 0, purchase_failed: 0 });
    const failed = await call('GET', `/batches/${id}?object_results=creation_failed`);
    expect(failed.json.batch_shipments.results).toEqual([expect.objectContaining({ metadata: 's-2', messages: [expect.objectContaining({ code: 'address_incomplete' })] })]);
    expect((await call('POST', `/batches/${id}/purchase`)).status).toBe(400);
    const removed = await call('POST', `/batches/${id}/remove_shipments`, [failed.json.batch_shipments.results[0].object_id]);
    expect(removed.json.status).toBe('VALID');
    fake.failPurchaseOf('s-3', 'UPS refused');
    const purchasing = await call('POST', `/batches/${id}/purchase`);
    expect(purchasing.status).toBe(202);
    expect(purchasing.json.status).toBe('PURCHASING');
    expect((await call('GET', `/batches/${id}`)).json.status).toBe('PURCHASING');
    const purchased = await call('GET', `/batches/${id}`);
    expect(purchased.json.status).toBe('PURCHASED');
    const [s1, s3] = purchased.json.batch_shipments.results;
    expect(s1).toMatchObject({ metadata: 's-1', status: 'VALID', transaction: expect.any(String) });
    expect(s3).toMatchObject({ metadata: 's-3', status: 'TRANSACTION_FAILED', messages: [expect.objectContaining({ text: 'UPS refused' })] });
    expect((await call('GET', `/transactions/${s1.transaction}`)).json).toMatchObject({ status: 'SUCCESS', metadata: 's-1' });
    expect((await call('POST', `/batches/${id}/purchase`)).status).toBe(400);
    expect(fake.batchPurchaseCalls(id)).toBe(3);
    expect(fake.sales()).toEqual([expect.objectContaining({ metadata: 's-1', via: 'batch', batch: id })]);
    expect(fake.violations()).toEqual([]);
  });

  it("finds an armed shipment invalid in a batch's validation, with the carrier's text, and sells it nothing", async () => {
    fake.failValidationOf('v-2', 'USPS: address not found.');
    const { json } = await aBatch([
      { shipment: aShippoShipment(), metadata: 'v-1' },
      { shipment: aShippoShipment(), metadata: 'v-2' },
    ]);
    await call('GET', `/batches/${json.object_id}`);
    const validated = await call('GET', `/batches/${json.object_id}`);
    expect(validated.json.status).toBe('INVALID');
    expect(validated.json.batch_shipments.results.map((s: Json) => [s.metadata, s.status])).toEqual([['v-1', 'VALID'], ['v-2', 'INVALID']]);
    expect(validated.json.batch_shipments.results[1].messages).toEqual([expect.objectContaining({ code: 'address_not_found', text: 'USPS: address not found.' })]);
    expect(fake.violations()).toEqual([]);
  });

  it('pages batch shipments 100 at a time', async () => {
    const shipments = Array.from({ length: 230 }, (_, i) => ({ shipment: aShippoShipment(), metadata: `p-${i}` }));
    const { json } = await aBatch(shipments);
    await call('GET', `/batches/${json.object_id}`);
    const page1 = await call('GET', `/batches/${json.object_id}`);
    expect(page1.json.batch_shipments.results).toHaveLength(100);
    expect(page1.json.batch_shipments.next).toContain('page=2');
    const page3 = await call('GET', `/batches/${json.object_id}?page=3`);
    expect(page3.json.batch_shipments.results.map((s: Json) => s.metadata)).toEqual(shipments.slice(200).map((s) => s.metadata));
    expect(page3.json.batch_shipments.next).toBeUndefined();
    expect(fake.violations()).toEqual([]);
  });
});
