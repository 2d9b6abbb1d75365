import { eventually } from '@shipbatch/platform/testing';
import { Client } from './client';
import { buildCases, type OpenApiLike } from './fuzz/fuzz-cases';
import { makeFixtures } from './fuzz/fuzz-fixtures';
import { runFuzz, summarize } from './fuzz/fuzz-runner';
import { deepArray, deepObject } from './fuzz/fuzz-values';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';
import { checkAnswer } from './openapi-check';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' };

/** A seeded sample of the fuzz (npm run fuzz:api sends all of it): enough to touch every route, quick enough for the suite. */
const FUZZ_SAMPLE = 300;

/**
 * Malformed input never reaches a 500 and a rejected request stores nothing: NUL characters
 * and unpaired surrogates in bodies and parameters, JSON nested thousands deep, page numbers
 * past any offset, arrays of arrays, non-positive parcel sizes, an unknown currency. Each is a
 * 400 naming the field; then a seeded sample of the API fuzz over every route.
 */
describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('malformed input, %s mode', (_mode, start) => {
  let h: Harness;
  let anon: Client;
  let acme: Client;
  let acmeKey: string;
  let account: string;

  const countOf = async (path: string) => (await acme.get(path)).body.count as number;
  const batchOf = (shipment: Record<string, unknown>) => ({
    default_carrier_account: account,
    default_servicelevel_token: 'usps_priority',
    batch_shipments: [{ shipment: { address_from: FROM, address_to: TO, parcels: [PARCEL], ...shipment } }],
  });
  /** The answer is a 400 in the error shape naming `field`. */
  const refused = (res: { status: number; body: any }, field: string) => {
    expect({ status: res.status, field: res.body?.errors?.[0]?.field_name }).toEqual({ status: 400, field });
    expect(res.body.request_id).toEqual(expect.any(String));
    expect(res.body.errors[0]).toMatchObject({ error_source: 'shipbatch', error_type: 'validation', message: expect.any(String) });
  };

  beforeAll(async () => {
    h = await start({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
    anon = new Client(h.baseUrl);
    const tenant = await anon.post('/admin/tenants', { name: 'acme' }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    acmeKey = tenant.body.api_key;
    acme = anon.withKey(acmeKey);
    account = (await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'mock', parameters: {} })).body.object_id;
  });

  afterAll(async () => {
    await h?.close();
  });

  it('refuses a NUL character or an unpaired surrogate in any string field, naming it, and stores nothing', async () => {
    const batches = await countOf('/batches');
    const addresses = await countOf('/addresses');
    for (const bad of ['a\u0000b', '\u0000', '\ud800x', 'x\udfff']) {
      refused(await acme.post('/batches', batchOf({ address_to: { ...TO, street1: bad } })), 'batch_shipments[0].shipment.address_to.street1');
      refused(await acme.post('/batches', { ...batchOf({}), metadata: bad }), 'metadata');
      refused(await acme.post('/addresses', { ...TO, street1: bad }), 'street1');
      refused(await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'x', parameters: { note: bad } }), 'parameters.note');
      refused(await acme.post('/webhooks', { url: `http://127.0.0.1:9/${bad}`, event: 'all', is_test: true }), 'url');
    }
    // In a field name too, named as JSON escapes it.
    refused(await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'x', parameters: { 'a\u0000': 1 } }), 'parameters.a\\u0000');
    // A well-formed pair (an emoji) is text like any other.
    expect((await acme.post('/addresses', { ...TO, name: 'Hippo \ud83e\udd9b' })).status).toBe(201);
    expect(await countOf('/batches')).toBe(batches);
    expect(await countOf('/addresses')).toBe(addresses + 1);
  });

  it('refuses %00 in a path id or a query parameter, naming it', async () => {
    const batch = (await acme.post('/batches', batchOf({}))).body.object_id as string;
    for (const path of ['/batches/%00', `/batches/${batch}%00`, '/addresses/a%00b', '/carrier_accounts/%00/balance', '/v2/labels/%00', '/webhooks/%00']) {
      refused(await acme.get(path), path.startsWith('/v2/labels') ? 'label_id' : 'id');
    }
    refused(await acme.post(`/batches/${batch}%00/purchase`), 'id');
    refused(await acme.request('DELETE', '/webhooks/%00'), 'id');
    refused(await acme.get('/v2/labels?carrier_id=se-1%00'), 'carrier_id');
    refused(await acme.get('/carrier_accounts?carrier=%00'), 'carrier');
    // A path that is not percent-encoded UTF-8 at all.
    refused(await acme.get('/batches/%ED%A0%80'), 'path');
    refused(await acme.get('/batches/%zz'), 'path');
  });

  it('refuses JSON nested thousands deep on every body route, before anything reads it', async () => {
    const routes: Array<[string, string]> = [
      ['POST', '/batches'],
      ['POST', '/addresses'],
      ['POST', '/parcels'],
      ['POST', '/carrier_accounts'],
      ['PUT', `/carrier_accounts/${account}`],
      ['POST', `/carrier_accounts/${account}/add_funds`],
      ['POST', '/webhooks'],
      ['POST', '/admin/tenants'],
    ];
    for (const [method, path] of routes) {
      for (const depth of [2_000, 5_000]) {
        for (const body of [deepArray(depth).text, deepObject(depth).text, `{"metadata": ${deepArray(depth).text}}`]) {
          const client = path.startsWith('/admin') ? anon : acme;
          const res = await client.request(method, path, body, path.startsWith('/admin') ? { Authorization: `Bearer ${ADMIN_TOKEN}` } : {});
          expect({ method, path, depth, status: res.status, code: res.body.errors?.[0]?.error_code }).toEqual({ method, path, depth, status: 400, code: 'invalid_json' });
          expect(res.body.errors[0].field_name).toEqual(expect.any(String));
        }
      }
    }
    // The limit is far above what a request needs: 32 levels pass the check (and fail on their own merits).
    const thirtyTwo = await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'x', parameters: { note: JSON.parse(deepArray(30).text) } });
    expect(thirtyTwo.body.errors[0].error_code).not.toBe('invalid_json');
    const thirtyThree = await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'x', parameters: { note: JSON.parse(deepArray(31).text) } });
    expect(thirtyThree.body.errors[0]).toMatchObject({ error_code: 'invalid_json', field_name: `parameters.note${'[0]'.repeat(30)}` });
  });

  it('refuses page numbers past any offset, naming the parameter', async () => {
    for (const path of ['/webhooks', '/batches', '/addresses', '/transactions', `/carrier_accounts/${account}/funding_events`, '/v2/labels']) {
      for (const page of ['99999999999999999999', '1000000001', '1e3', '-1', '0']) {
        refused(await acme.get(`${path}?page=${page}`), 'page');
      }
      expect((await acme.get(`${path}?page=1000000000`)).status).toBe(200);
    }
    refused(await acme.get('/batches?results=99999999999999999999'), 'results');
    refused(await acme.get('/v2/labels?page_size=99999999999999999999'), 'page_size');
  });

  it('refuses arrays of arrays where objects belong, naming the item, and makes no batch', async () => {
    const batches = await countOf('/batches');
    const base = { default_carrier_account: account, default_servicelevel_token: 'usps_priority' };
    refused(await acme.post('/batches', { ...base, batch_shipments: [[]] }), 'batch_shipments[0]');
    refused(await acme.post('/batches', { ...base, batch_shipments: [[{ shipment: {} }]] }), 'batch_shipments[0]');
    refused(await acme.post('/batches', { ...base, batch_shipments: [batchOf({}).batch_shipments[0], []] }), 'batch_shipments[1]');
    for (const bad of [null, 1, {}]) {
      expect((await acme.post('/batches', { ...base, batch_shipments: [bad] })).status).toBe(400);
    }
    refused(await acme.post('/batches', batchOf({ parcels: [[]] })), 'batch_shipments[0].shipment.parcels[0]');
    refused(await acme.post('/batches', batchOf({ parcels: [PARCEL, [PARCEL]] })), 'batch_shipments[0].shipment.parcels[1]');
    expect(await countOf('/batches')).toBe(batches);

    const open = (await acme.post('/batches', batchOf({}))).body.object_id as string;
    await eventually(
      () => acme.get(`/batches/${open}`),
      (r) => r.body.object_status !== 'VALIDATING',
    );
    refused(await acme.post(`/batches/${open}/add_shipments`, [[]]), '[0]');
    expect((await acme.get(`/batches/${open}`)).body.batch_shipments.count).toBe(1);
  });

  it('refuses parcel sizes and weights that are not positive numbers, alone or inline, naming the field', async () => {
    const parcels = await countOf('/parcels');
    for (const field of ['weight', 'length', 'width', 'height']) {
      for (const bad of ['-1', '0', 'abc', '1e3', '', -1, 0, '-0.5', true]) {
        refused(await acme.post('/parcels', { ...PARCEL, [field]: bad }), field);
      }
      refused(await acme.post('/batches', batchOf({ parcels: [{ ...PARCEL, [field]: '-1' }] })), `batch_shipments[0].shipment.parcels[0].${field}`);
      refused(await acme.post('/batches', batchOf({ parcels: undefined, parcel: { ...PARCEL, [field]: '0' } })), `batch_shipments[0].shipment.parcel.${field}`);
    }
    expect(await countOf('/parcels')).toBe(parcels);
    const ok = await acme.post('/parcels', { ...PARCEL, weight: 2.5, length: '0.5' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ weight: '2.5', length: '0.5' });
  });

  it('refuses add_funds in a currency that is not the balance\'s, and records no funding event', async () => {
    const funded = (await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'f', parameters: { initial_balance: 10 } })).body.object_id;
    for (const currency of ['NaN', 'xyz', '', 'us', 5, 'eur']) {
      refused(await acme.post(`/carrier_accounts/${funded}/add_funds`, { amount: '5.00', currency }), 'currency');
    }
    expect((await acme.get(`/carrier_accounts/${funded}/funding_events`)).body).toMatchObject({ count: 0, results: [] });
    expect((await acme.get(`/carrier_accounts/${funded}/balance`)).body.amount).toBe(10);
    expect((await acme.post(`/carrier_accounts/${funded}/add_funds`, { amount: '5.00', currency: 'USD' })).body).toEqual({ currency: 'usd', amount: 15 });
    expect((await acme.get(`/carrier_accounts/${funded}/funding_events`)).body.count).toBe(1);
  });

  it('answers a body in another charset than UTF-8 with 415', async () => {
    const res = await fetch(`${h.baseUrl}/addresses`, {
      method: 'POST',
      headers: { Authorization: `ShippoToken ${acmeKey}`, 'Content-Type': 'application/json; charset=latin1' },
      body: JSON.stringify(TO),
    });
    const body = (await res.json()) as any;
    await checkAnswer('POST', `${h.baseUrl}/addresses`, res.status, body, { contentType: res.headers.get('content-type') });
    expect(res.status).toBe(415);
    expect(body.errors[0]).toMatchObject({ error_type: 'validation', field_name: 'Content-Type' });
  });

  it('answers a seeded sample of the API fuzz over every route without a 5xx, each refusal in the error shape, naming a field, as documented', async () => {
    const doc = (await anon.get('/docs-json')).body as OpenApiLike;
    const fixtures = await makeFixtures(h.baseUrl, { adminToken: ADMIN_TOKEN });
    const cases = buildCases(doc, { inputs: fixtures.inputs, seed: 19, randomCases: 100, sample: FUZZ_SAMPLE });
    expect(new Set(cases.map((c) => c.operation)).size).toBeGreaterThan(30);
    const report = await runFuzz(cases, {
      baseUrl: h.baseUrl,
      auth: { tenantKey: fixtures.tenantKey, adminToken: ADMIN_TOKEN },
      check: (method, url, status, body, contentType) => checkAnswer(method, url, status, body, { contentType }),
    });
    const problems = [...report.serverErrors, ...report.badShape, ...report.unnamed400, ...report.checkFailures];
    expect({ sent: report.sent, problems: problems.length ? summarize(report).join('\n') : 'none' }).toEqual({ sent: FUZZ_SAMPLE, problems: 'none' });
  });
});
