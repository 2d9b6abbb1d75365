import { Shippo } from 'shippo';
import { DataSource } from 'typeorm';
import { eventually } from '@shipbatch/platform/testing';
import { ReconcileUseCase } from '@shipbatch/shipping/application';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: 2, mass_unit: 'lb' };

describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('batch flow, %s mode', (_mode, start) => {
  let h: Harness;
  let anon: Client;
  let acme: Client;
  let other: Client;

  const newTenant = async (name: string) => {
    const res = await anon.post('/admin/tenants', { name }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(res.status).toBe(201);
    return res.body.api_key as string;
  };

  const mockAccount = async (client: Client, parameters: Record<string, unknown> = {}, carrier = 'usps') => {
    const res = await client.post('/carrier_accounts', { provider: 'mock', carrier, account_id: `acct-${carrier}`, parameters });
    expect(res.status).toBe(201);
    return res.body.object_id as string;
  };

  const settled = (client: Client, id: string, from: string) =>
    eventually(
      () => client.get(`/batches/${id}`),
      (r) => r.body.object_status !== from,
    );

  beforeAll(async () => {
    h = await start();
    anon = new Client(h.baseUrl);
    acme = anon.withKey(await newTenant('acme'));
    other = anon.withKey(await newTenant('other'), 'API-Key');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('answers health and publishes its OpenAPI document', async () => {
    expect((await anon.get('/health')).status).toBe(200);
    const doc = await anon.get('/docs-json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/batches', '/batches/{id}/purchase']));
  });

  it('answers an unknown route with 404 saying the route does not exist, keyed or not; a missing object keeps its own 404', async () => {
    for (const res of [await anon.get('/no/such/route?x=1'), await acme.post('/batchez', {}), await acme.request('DELETE', '/batchez')]) {
      expect(res.status).toBe(404);
      expect(res.body.errors[0]).toMatchObject({ error_code: 'route_not_found', message: expect.stringMatching(/^there is no route (GET|POST|DELETE) \/[a-z/]+; the API's routes are listed at \/docs$/) });
    }
    expect((await anon.get('/no/such/route?x=1')).body.errors[0].message).toContain('GET /no/such/route;');
    const missing = await acme.get('/batches/batch_unknown');
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].error_code).not.toBe('route_not_found');
  });

  it('creates a carrier account without a provider field (as the shippo SDK does): from parameters.provider, else DEFAULT_PROVIDER (mock)', async () => {
    const bare = await acme.post('/carrier_accounts', { carrier: 'usps', account_id: 'no-provider', parameters: {} });
    expect(bare.status).toBe(201);
    expect(bare.body).toMatchObject({ provider: 'mock', carrier: 'usps', account_id: 'no-provider' });
    const inside = await acme.post('/carrier_accounts', { carrier: 'usps', account_id: 'inside', parameters: { provider: 'mock' } });
    expect(inside.status).toBe(201);
    expect(inside.body.provider).toBe('mock');
    const blank = await acme.post('/carrier_accounts', { carrier: 'usps', account_id: 'blank', parameters: { provider: '' } });
    expect(blank.status).toBe(400);
    expect(blank.body.errors[0].field_name).toBe('parameters.provider');
    const res = await anon.post('/admin/tenants', { name: 'sdk-accounts' }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    const shippo = new Shippo({ apiKeyHeader: `ShippoToken ${res.body.api_key}`, serverURL: h.baseUrl });
    const created = await shippo.carrierAccounts.create({ carrier: 'usps', accountId: 'sdk', parameters: {} });
    expect(created).toMatchObject({ carrier: 'usps', accountId: 'sdk', objectId: expect.any(String) });
    expect((await anon.withKey(res.body.api_key).get(`/carrier_accounts/${created.objectId}`)).body.provider).toBe('mock');
  });

  it('accepts the three key schemes and refuses a missing or wrong key with 401', async () => {
    expect((await acme.get('/batches')).status).toBe(200);
    expect((await other.get('/batches')).status).toBe(200);
    const missing = await anon.get('/batches');
    expect(missing.status).toBe(401);
    expect(missing.body.errors[0]).toMatchObject({ error_source: 'shipbatch', error_type: 'security' });
    expect((await anon.withKey('sb_wrong', 'Bearer').get('/batches')).status).toBe(401);
  });

  it('runs the seed flow: ids and inline objects, fix by remove and add, purchase', async () => {
    const account = await mockAccount(acme, { label_cost: 5, initial_balance: 1000 });
    const from = (await acme.post('/addresses', FROM)).body.object_id;
    const parcel = (await acme.post('/parcels', PARCEL)).body.object_id;

    const created = await acme.post('/batches', {
      default_carrier_account: account,
      default_servicelevel_token: 'usps_priority',
      label_filetype: 'PDF_4x6',
      metadata: 'BATCH #170',
      batch_shipments: [
        { shipment: { object_purpose: 'PURCHASE', address_from: from, address_to: TO, parcel } },
        { shipment: { address_from: FROM, address_to: TO, parcels: [PARCEL] }, servicelevel_token: 'usps_priority_express', metadata: 'two' },
        { shipment: { address_from: from, address_to: { ...TO, zip: undefined }, parcels: [parcel] } },
        { shipment: { address_from: 'ffffffffffffffffffffffffffffffff', address_to: TO, parcels: [parcel] } },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      object_status: 'VALIDATING',
      status: 'VALIDATING',
      metadata: 'BATCH #170',
      label_filetype: 'PDF_4x6',
      batch_shipments: { count: 0, next: null, previous: null, results: [] },
      object_results: { purchase_succeeded: 0, purchase_failed: 0, creation_failed: 0, creation_succeeded: 0 },
      label_url: [],
    });
    const id = created.body.object_id;

    const invalid = await settled(acme, id, 'VALIDATING');
    expect(invalid.body.object_status).toBe('INVALID');
    expect(invalid.body.object_results).toMatchObject({ creation_failed: 2, creation_succeeded: 2 });
    const shipments = invalid.body.batch_shipments.results;
    expect(shipments.map((s: { object_status: string }) => s.object_status)).toEqual(['VALID', 'VALID', 'INCOMPLETE', 'INVALID']);
    expect(shipments[1]).toMatchObject({ servicelevel_token: 'usps_priority_express', metadata: 'two', carrier_account: null });
    expect(shipments[2].messages[0].text).toMatch(/zip/);
    expect(shipments[3].messages[0]).toMatchObject({ code: 'address_not_found' });

    const failed = await acme.get(`/batches/${id}?object_results=creation_failed`);
    expect(failed.body.batch_shipments.count).toBe(2);
    const badIds = failed.body.batch_shipments.results.map((s: { object_id: string }) => s.object_id);

    const refused = await acme.post(`/batches/${id}/purchase`);
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0].message).toMatch(/INVALID/);

    const removed = await acme.put(`/batches/${id}/remove_shipments`, badIds);
    expect(removed.status).toBe(200);
    expect(removed.body.object_status).toBe('VALID');
    expect(removed.body.batch_shipments.count).toBe(2);

    const added = await acme.post(`/batches/${id}/add_shipments`, [
      { shipment: { address_from: from, address_to: { ...TO, name: 'Fixed' }, parcels: [parcel] }, carrier_account: account },
    ]);
    expect(added.status).toBe(200);
    const valid = await settled(acme, id, 'VALIDATING');
    expect(valid.body.object_status).toBe('VALID');
    expect(valid.body.batch_shipments.count).toBe(3);

    const purchasing = await acme.post(`/batches/${id}/purchase`);
    expect(purchasing.status).toBe(202);
    expect(purchasing.body.object_status).toBe('PURCHASING');
    expect((await acme.put(`/batches/${id}/remove_shipments`, [valid.body.batch_shipments.results[0].object_id])).status).toBe(409);

    const purchased = await settled(acme, id, 'PURCHASING');
    expect(purchased.body.object_status).toBe('PURCHASED');
    expect(purchased.body.object_results).toMatchObject({ purchase_succeeded: 3, purchase_failed: 0 });
    expect(purchased.body.label_url).toHaveLength(1); // one merged file of 3 labels
    for (const s of purchased.body.batch_shipments.results) {
      const tx = await acme.get(`/transactions/${s.transaction}`);
      expect(tx.status).toBe(200);
      expect(tx.body).toMatchObject({ status: 'SUCCESS', object_status: 'SUCCESS' });
      expect(tx.body.tracking_number).toMatch(/^\d{22}$/);
      // The label's own file, signed when read, downloads without an API key.
      const own = await fetch(tx.body.label_url);
      expect(own.status).toBe(200);
      expect(own.headers.get('content-type')).toContain('application/pdf');
    }
    const file = await fetch(purchased.body.label_url[0]);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await fetch(purchased.body.label_url[0].replace(/signature=[^&]+/, 'signature=forged'))).status).toBe(404);

    const again = await acme.post(`/batches/${id}/purchase`);
    expect(again.status).toBe(409);
    const balance = await acme.get(`/carrier_accounts/${account}/balance`);
    expect(balance.body).toEqual({ currency: 'usd', amount: 985 });
  });

  it('fails purchases on a failing provider, then re-purchases only the failures', async () => {
    const good = await mockAccount(acme, { label_cost: 2, initial_balance: 100 }, 'ups');
    const flaky = await mockAccount(acme, { label_cost: 3, initial_balance: 100, fail_rate: 1 }, 'fedex');
    const created = await acme.post('/batches', {
      default_carrier_account: good,
      default_servicelevel_token: 'ups_ground',
      batch_shipments: [
        { shipment: { address_from: FROM, address_to: TO, parcels: [PARCEL] } },
        { shipment: { address_from: FROM, address_to: TO, parcels: [PARCEL] }, carrier_account: flaky, servicelevel_token: 'fedex_ground' },
        { shipment: { address_from: FROM, address_to: TO, parcels: [PARCEL] } },
      ],
    });
    const id = created.body.object_id;
    expect((await settled(acme, id, 'VALIDATING')).body.object_status).toBe('VALID');
    expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);

    const partly = await settled(acme, id, 'PURCHASING');
    expect(partly.body.object_status).toBe('PURCHASED');
    expect(partly.body.object_results).toMatchObject({ purchase_succeeded: 2, purchase_failed: 1 });
    const failures = await acme.get(`/batches/${id}?object_results=purchase_failed`);
    expect(failures.body.batch_shipments.results).toHaveLength(1);
    expect(failures.body.batch_shipments.results[0]).toMatchObject({ object_status: 'TRANSACTION_FAILED', transaction: null });
    expect(failures.body.batch_shipments.results[0].messages[0]).toMatchObject({ source: 'mock', code: 'unavailable' });

    expect((await acme.put(`/carrier_accounts/${flaky}`, { parameters: { fail_rate: 0 } })).status).toBe(200);
    expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);
    const done = await settled(acme, id, 'PURCHASING');
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 3, purchase_failed: 0 });
    // Only the failed shipment was bought again: each account paid for exactly its labels.
    expect((await acme.get(`/carrier_accounts/${good}/balance`)).body.amount).toBe(96);
    expect((await acme.get(`/carrier_accounts/${flaky}/balance`)).body.amount).toBe(97);
  });

  it('recovers a purchase a crash left in PURCHASING without buying it twice', async () => {
    const account = await mockAccount(acme, { label_cost: 1, initial_balance: 50 }, 'dhl_express');
    const created = await acme.post('/batches', {
      default_carrier_account: account,
      default_servicelevel_token: 'dhl_express_worldwide',
      batch_shipments: [1, 2, 3].map((n) => ({ shipment: { address_from: FROM, address_to: TO, parcels: [PARCEL], external_shipment_id: `crash-${h.mode}-${n}` } })),
    });
    const id = created.body.object_id;
    expect((await settled(acme, id, 'VALIDATING')).body.object_status).toBe('VALID');

    // A worker claimed every shipment, the provider sold the first label, and the worker died
    // before writing anything: the rows are PURCHASING with an expired lease.
    const db = h.api.get(DataSource);
    await db.query(`UPDATE batches SET status = 'PURCHASING' WHERE id = $1`, [id]);
    await db.query(
      `UPDATE batch_shipments SET purchase_state = 'PURCHASING', lease_until = now() - interval '1 minute', queue_token = 1,
         file_chunk = 0
       WHERE batch_id = $1`,
      [id],
    );
    const [first]: Array<{ id: string }> = await db.query(
      `SELECT id FROM batch_shipments WHERE batch_id = $1 ORDER BY position LIMIT 1`,
      [id],
    );
    const { ProviderRegistry } = await import('@shipbatch/providers/registry');
    const { SQL_CLIENT } = await import('@shipbatch/providers/runtime');
    const [acct] = await db.query(`SELECT carrier FROM carrier_accounts WHERE id = $1`, [account]);
    const provider = new ProviderRegistry().instanceFor(
      { id: account, provider: 'mock', carrier: acct.carrier, parameters: { label_cost: 1, initial_balance: 50 }, test: false },
      { sql: h.api.get(SQL_CLIENT) },
    );
    const [cmd] = await db.query(`SELECT purchase_command FROM batch_shipments WHERE id = $1`, [first.id]);
    const sold = await provider.purchaseLabel({ reference: first.id, ...cmd.purchase_command.command });

    const counts = await h.worker.get(ReconcileUseCase).execute(0);
    expect(counts.purchases).toBe(3);
    const done = await settled(acme, id, 'PURCHASING');
    expect(done.body.object_results).toMatchObject({ purchase_succeeded: 3, purchase_failed: 0 });
    const recovered = done.body.batch_shipments.results.find((s: { object_id: string }) => s.object_id === first.id);
    expect((await acme.get(`/transactions/${recovered.transaction}`)).body.tracking_number).toBe(sold.trackingNumber);
    // Three labels paid for, not four.
    expect((await acme.get(`/carrier_accounts/${account}/balance`)).body.amount).toBe(47);
  });

  it('rejects bad input with 400 naming the field, and stores nothing', async () => {
    const account = await mockAccount(other);
    const base = { default_carrier_account: account, default_servicelevel_token: 'usps_priority' };
    const ok = { shipment: { address_from: FROM, address_to: TO, parcels: [PARCEL] } };
    const before = (await other.get('/batches')).body.count;

    const cases: Array<[unknown, string]> = [
      [{ ...base, label_filetype: 'GIF', batch_shipments: [ok] }, 'label_filetype'],
      [{ ...base, metadata: 'x'.repeat(101), batch_shipments: [ok] }, 'metadata'],
      [{ ...base, batch_shipments: [] }, 'batch_shipments'],
      [{ default_servicelevel_token: 'usps_priority', batch_shipments: [ok] }, 'default_carrier_account'],
      [{ ...base, batch_shipments: [ok, { shipment: { ...ok.shipment, address_to: 42 } }] }, 'batch_shipments[1].shipment.address_to'],
      [{ ...base, batch_shipments: [{ shipment: { ...ok.shipment, parcels: [{ ...PARCEL, mass_unit: 'stone' }] } }] }, 'batch_shipments[0].shipment.parcels[0].mass_unit'],
      [{ ...base, batch_shipments: Array.from({ length: 10_001 }, () => ({ shipment: { address_from: 'a', address_to: 'b', parcel: 'c' } })) }, 'batch_shipments'],
    ];
    for (const [body, field] of cases) {
      const res = await other.post('/batches', body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.request_id).toEqual(expect.any(String));
      expect(res.body.errors[0]).toMatchObject({ error_source: 'shipbatch', error_type: 'validation', field_name: field });
    }
    const malformed = await other.post('/batches', '{"default_carrier_account": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].error_code).toBe('invalid_json');
    const huge = await other.post('/batches', JSON.stringify({ ...base, metadata: 'x'.repeat(33 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect((await other.post('/carrier_accounts', { provider: 'nope', carrier: 'usps', account_id: 'a' })).body.errors[0].field_name).toBe('provider');
    expect((await other.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'a', parameters: { fail_rate: 2 } })).body.errors[0].field_name).toBe('parameters.fail_rate');
    expect((await other.get('/batches')).body.count).toBe(before);
  });

  it("keeps tenants apart: another tenant's ids answer 404", async () => {
    const mine = await acme.get('/batches');
    expect(mine.body.count).toBeGreaterThan(0);
    const batchId = mine.body.results[0].object_id;
    expect((await other.get(`/batches/${batchId}`)).status).toBe(404);
    expect((await other.post(`/batches/${batchId}/purchase`)).status).toBe(404);
    const theirs = await other.get('/batches');
    expect(theirs.body.results.map((b: { object_id: string }) => b.object_id)).not.toContain(batchId);
    const accounts = (await acme.get('/carrier_accounts')).body.results;
    expect((await other.get(`/carrier_accounts/${accounts[0].object_id}`)).status).toBe(404);
    expect(JSON.stringify(accounts)).not.toContain('parameters');
  });

  it('serves admin routes only with the admin token', async () => {
    expect((await anon.post('/admin/tenants', { name: 'x' })).status).toBe(401);
    expect((await anon.post('/admin/tenants', { name: 'x' }, { Authorization: 'Bearer wrong' })).status).toBe(401);
  });
});
