import { randomUUID } from 'node:crypto';
import { eventually } from '@shipbatch/platform/testing';
import { startFakeShippo } from '@shipbatch/providers/shippo/testing';
import { startFakeShipStation } from '@shipbatch/providers/shipstation/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded } from './harness';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US', phone: '4151234567' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US', phone: '4155550100' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' };

type Body = Record<string, any>;

/**
 * Nothing sent is silently dropped (issue 23): an unknown body field or query parameter is a 400
 * naming it; the fields Shippo's SDK sends that change nothing are accepted; a shipment's `extra`
 * is kept, presented, passed to the provider (the fakes record what they were sent) and refused,
 * naming the field, where the shipment's provider cannot honour it. Embedded mode: nothing here
 * depends on the queue driver.
 */
describe('strict input and shipment extras, embedded mode', () => {
  let shippo: Awaited<ReturnType<typeof startFakeShippo>>;
  let shipstation: Awaited<ReturnType<typeof startFakeShipStation>>;
  let h: Harness;
  let acme: Client;
  let mock: string;

  const error = (res: { status: number; body: Body }) => ({ status: res.status, ...(res.body.errors?.[0] ?? {}) });

  const shipstationAccount = async () => {
    const apiKey = `TEST_${randomUUID()}`;
    const carrierId = `se-${Math.floor(Math.random() * 1e9)}`;
    shipstation.addAccount({ apiKey, carriers: [{ carrierId, carrierCode: 'stamps_com', balance: 1000 }] });
    const res = await acme.post('/carrier_accounts', {
      provider: 'shipstation',
      carrier: 'usps',
      account_id: carrierId,
      parameters: { api_key: apiKey, carrier_id: carrierId, rate_limit_per_minute: 600 },
    });
    expect(res.status).toBe(201);
    return res.body.object_id as string;
  };

  const shippoAccount = async () => {
    const token = `shippo_test_${randomUUID().replace(/-/g, '')}`;
    const objectId = randomUUID().replace(/-/g, '');
    shippo.addAccount({ token, carrierAccounts: [{ objectId, carrier: 'usps' }] });
    const res = await acme.post('/carrier_accounts', { provider: 'shippo', carrier: 'usps', account_id: objectId, parameters: { api_token: token, carrier_account: objectId } });
    expect(res.status).toBe(201);
    return res.body.object_id as string;
  };

  const shipment = (extra?: Body, more: Body = {}) => ({ shipment: { address_from: FROM, address_to: TO, parcels: [PARCEL], ...(extra ? { extra } : {}), ...more } });
  const batchBody = (account: string, shipments: Body[]) => ({
    default_carrier_account: account,
    default_servicelevel_token: 'usps_priority',
    label_filetype: 'PDF_4x6',
    batch_shipments: shipments,
  });

  /** Creates, validates and buys a batch; answers its batch shipments. */
  const buy = async (account: string, shipments: Body[]) => {
    const created = await acme.post('/batches', batchBody(account, shipments));
    expect(created.status).toBe(201);
    const id = created.body.object_id as string;
    const valid = await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status !== 'VALIDATING');
    expect(valid.body.object_status).toBe('VALID');
    expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);
    const done = await eventually(() => acme.get(`/batches/${id}`), (r) => r.body.object_status !== 'PURCHASING', { attempts: 1200 });
    expect(done.body.object_results).toMatchObject({ purchase_failed: 0 });
    return { id, shipments: done.body.batch_shipments.results as Body[] };
  };

  beforeAll(async () => {
    shippo = await startFakeShippo();
    shipstation = await startFakeShipStation({ rateLimitPerMinute: 600 });
    h = await startEmbedded({ env: { SHIPPO_BASE_URL: shippo.url, SHIPSTATION_BASE_URL: shipstation.url } });
    const anon = new Client(h.baseUrl);
    acme = anon.withKey((await anon.post('/admin/tenants', { name: 'strict' }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key);
    mock = (await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'strict-mock', parameters: {} })).body.object_id;
  });

  afterEach(() => {
    expect(shippo.violations()).toEqual([]);
    expect(shipstation.violations()).toEqual([]);
  });

  afterAll(async () => {
    await h?.close();
    await shippo?.close();
    await shipstation?.close();
  });

  it('refuses a body field it does not know with 400 naming it, at any depth, and stores nothing', async () => {
    expect(error(await acme.post('/addresses', { ...FROM, colour: 'red' }))).toMatchObject({ status: 400, error_code: 'unknown_field', field_name: 'colour' });
    expect(error(await acme.post('/parcels', { ...PARCEL, template: 'USPS_FlatRateEnvelope' }))).toMatchObject({ status: 400, field_name: 'template' });
    const before = (await acme.get('/batches')).body.count;
    const nested = await acme.post('/batches', batchBody(mock, [shipment(), shipment(undefined, { customs_declaration: 'cd1' })]));
    expect(error(nested)).toMatchObject({ status: 400, error_code: 'unknown_field', field_name: 'batch_shipments[1].shipment.customs_declaration' });
    const inline = await acme.post('/batches', batchBody(mock, [{ shipment: { address_from: { ...FROM, street_no: '215' }, address_to: TO, parcels: [PARCEL] } }]));
    expect(error(inline)).toMatchObject({ status: 400, field_name: 'batch_shipments[0].shipment.address_from.street_no' });
    expect(error(await acme.post('/batches', { ...batchBody(mock, [shipment()]), test: true }))).toMatchObject({ status: 400, field_name: 'test' });
    expect(error(await acme.post('/webhooks', { url: 'https://example.com/h', event: 'batch_purchased', secret: 's' }))).toMatchObject({ status: 400, field_name: 'secret' });
    expect((await acme.get('/batches')).body.count).toBe(before);
  });

  it("accepts the fields of Shippo's shapes that change nothing about what is bought", async () => {
    const address = await acme.post('/addresses', { ...FROM, validate: true, metadata: 'm' });
    expect(address.status).toBe(201);
    const created = await acme.post('/batches', batchBody(mock, [shipment(undefined, { async: false, carrier_accounts: [mock], object_purpose: 'PURCHASE' })]));
    expect(created.status).toBe(201);
  });

  it('refuses a query parameter a route does not take, naming it, on every kind of route', async () => {
    for (const path of ['/v2/labels?page=1&label_format=pdf', '/addresses?results=5&sort=asc', '/batches/b1?object_results=purchase_failed&x=1', '/v2/labels/l1?verbose=1', '/health?x=1']) {
      const res = await acme.get(path);
      expect({ path, ...error(res) }).toMatchObject({ path, status: 400, error_code: 'unknown_parameter' });
    }
    const file = await fetch(`${h.baseUrl}/files/labels/x.pdf?expires=1&signature=s&download=1`);
    expect({ status: file.status, ...((await file.json()) as Body).errors[0] }).toMatchObject({ status: 400, field_name: 'download' });
    expect(error(await acme.get('/v2/labels?page_size=1&page_size=2'))).toMatchObject({ status: 400, error_code: 'repeated_parameter', field_name: 'page_size' });
    expect(error(await acme.get('/v2/labels/l1?label_download_type=inline'))).toMatchObject({ status: 400, field_name: 'label_download_type' });
    expect((await acme.get('/v2/labels?label_download_type=url&refund_status=pending&refund_status=approved,rejected')).status).toBe(200);
  });

  it("refuses, naming it, an extra the shipment's provider cannot honour, at creation and when adding; nothing is stored", async () => {
    const before = (await acme.get('/batches')).body.count;
    const insured = await acme.post('/batches', batchBody(mock, [shipment({ reference_1: 'ok' }), shipment({ insurance: { amount: '50', currency: 'USD' } })]));
    expect(error(insured)).toMatchObject({ status: 400, error_code: 'extra_not_supported', field_name: 'batch_shipments[1].shipment.extra.insurance' });
    expect(insured.body.errors[0].message).toContain('mock');
    const ss = await shipstationAccount();
    const indirect = await acme.post('/batches', batchBody(mock, [{ ...shipment({ signature_confirmation: 'INDIRECT' }), carrier_account: ss }]));
    expect(error(indirect)).toMatchObject({ status: 400, field_name: 'batch_shipments[0].shipment.extra.signature_confirmation' });
    const content = await acme.post('/batches', batchBody(ss, [shipment({ insurance: { amount: '50', currency: 'USD', content: 'books' } })]));
    expect(error(content)).toMatchObject({ status: 400, field_name: 'batch_shipments[0].shipment.extra.insurance.content' });
    expect((await acme.get('/batches')).body.count).toBe(before);

    const batch = (await acme.post('/batches', batchBody(mock, [shipment()]))).body.object_id as string;
    const added = await acme.post(`/batches/${batch}/add_shipments`, [shipment(), shipment({ COD: { amount: '5', currency: 'USD' } })]);
    expect(error(added)).toMatchObject({ status: 400, field_name: '[1].shipment.extra.COD' });
  });

  it('keeps extra, presents it on the shipment, and passes it to ShipStation mapped onto its fields', async () => {
    const account = await shipstationAccount();
    const extra = { signature_confirmation: 'ADULT', insurance: { amount: '120.5', currency: 'USD' }, reference_1: 'PO-77', saturday_delivery: true };
    const { shipments } = await buy(account, [shipment(extra)]);
    const stored = await acme.get(`/shipments/${shipments[0].shipment}`);
    expect(stored.body.extra).toEqual(extra);
    const sent = shipstation
      .requests()
      .filter((r) => r.operationId === 'create_label' || r.operationId === 'create_shipments')
      .flatMap((r) => (r.operationId === 'create_label' ? [(r.body as Body).shipment] : (r.body as Body).shipments))
      .find((s: Body) => s.external_shipment_id === shipments[0].object_id);
    expect(sent).toMatchObject({
      confirmation: 'adult_signature',
      insurance_provider: 'shipsurance',
      advanced_options: { custom_field1: 'PO-77', saturday_delivery: true },
      packages: [expect.objectContaining({ insured_value: { amount: 120.5, currency: 'usd' } })],
    });
  });

  it("passes extra to Shippo as sent (Shippo's own vocabulary)", async () => {
    const account = await shippoAccount();
    const extra = { signature_confirmation: 'CERTIFIED', reference_2: 'R2', billing: { type: 'SENDER' } };
    const { shipments } = await buy(account, [shipment(extra)]);
    const sent = shippo
      .requests()
      .filter((r) => r.operationId === 'CreateTransaction' || r.operationId === 'CreateBatch')
      .flatMap((r) => (r.operationId === 'CreateTransaction' ? [r.body as Body] : (r.body as Body).batch_shipments))
      .find((s: Body) => s.metadata === shipments[0].object_id);
    expect(sent?.shipment.extra).toEqual(extra);
    expect((await acme.get(`/shipments/${shipments[0].shipment}`)).body.extra).toEqual(extra);
  });

  it('lists labels by shipment_id, rate_id, refund_status and sort_by=voided_at', async () => {
    const { id, shipments } = await buy(mock, [shipment({ reference_1: 'A' }), shipment(), shipment()]);
    const labels = async (query: string) => {
      const res = await acme.get(`/v2/labels?batch_id=${id}&${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      return res.body;
    };
    const byShipment = await labels(`shipment_id=${shipments[1].shipment}`);
    expect(byShipment.labels.map((l: Body) => l.label_id)).toEqual([shipments[1].transaction]);
    expect((await acme.get(`/v2/labels?shipment_id=${shipments[1].shipment}`)).body.total).toBe(1);
    expect((await labels('rate_id=se-1')).total).toBe(0);
    expect((await labels('refund_status=approved')).total).toBe(0);

    for (const s of [shipments[2], shipments[0]]) expect((await acme.put(`/v2/labels/${s.transaction}/void`)).body).toMatchObject({ approved: true });
    const refunded = await labels('refund_status=pending,approved&sort_dir=asc');
    expect(refunded.labels.map((l: Body) => l.label_id).sort()).toEqual([shipments[0].transaction, shipments[2].transaction].sort());
    expect((await labels('refund_status=pending&refund_status=rejected')).total).toBe(0);
    expect((await acme.get('/v2/labels?refund_status=approved')).body.total).toBe(2);
    expect(refunded.links.first.href).toContain('refund_status=pending%2Capproved');

    // voided_at: the label never voided first, then in the order they were voided; desc reads the other end.
    const asc = await labels('sort_by=voided_at&sort_dir=asc&page_size=3');
    expect(asc.labels.map((l: Body) => l.label_id)).toEqual([shipments[1].transaction, shipments[2].transaction, shipments[0].transaction]);
    const desc = await labels('sort_by=voided_at&sort_dir=desc&page_size=1');
    expect(desc.labels.map((l: Body) => l.label_id)).toEqual([shipments[0].transaction]);
    expect(desc.total).toBe(3);
  });
});
