import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' };

describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('Idempotency-Key, %s mode', (_mode, start) => {
  let h: Harness;
  let acme: Client;
  let other: Client;

  beforeAll(async () => {
    h = await start();
    const anon = new Client(h.baseUrl);
    const tenant = async (name: string) =>
      (await anon.post('/admin/tenants', { name }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).body.api_key as string;
    acme = anon.withKey(await tenant('acme'));
    other = anon.withKey(await tenant('other'));
  });

  afterAll(async () => {
    await h?.close();
  });

  it('replays the first answer to the same key and body, without storing twice', async () => {
    const account = { provider: 'mock', carrier: 'usps', account_id: 'acct-usps', parameters: {} };
    const first = await acme.post('/carrier_accounts', account, { 'Idempotency-Key': 'account-1' });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await acme.post('/carrier_accounts', account, { 'Idempotency-Key': 'account-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const list = await acme.get('/carrier_accounts');
    expect(list.body.results.map((a: { object_id: string }) => a.object_id)).toEqual([first.body.object_id]);
    // Without the key, the same request is a new one.
    expect((await acme.post('/carrier_accounts', account)).body.object_id).not.toBe(first.body.object_id);
  });

  it('answers 422 naming the header when the key comes back with a different body', async () => {
    expect((await acme.post('/addresses', FROM, { 'Idempotency-Key': 'addr-2' })).status).toBe(201);
    const reused = await acme.post('/addresses', { ...FROM, name: 'Someone else' }, { 'Idempotency-Key': 'addr-2' });
    expect(reused.status).toBe(422);
    expect(reused.body.errors[0]).toMatchObject({ error_code: 'idempotency_key_reused', field_name: 'Idempotency-Key' });
  });

  it('keeps the key free after a rejected request, and keys apart per tenant', async () => {
    const bad = await acme.post('/addresses', { ...FROM, zip: 94117 }, { 'Idempotency-Key': 'addr-3' });
    expect(bad.status).toBe(400);
    const good = await acme.post('/addresses', FROM, { 'Idempotency-Key': 'addr-3' });
    expect(good.status).toBe(201);
    const theirs = await other.post('/addresses', FROM, { 'Idempotency-Key': 'addr-3' });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.object_id).not.toBe(good.body.object_id);
  });

  it('refuses a malformed key with 400 naming the header', async () => {
    const res = await acme.post('/addresses', FROM, { 'Idempotency-Key': 'x'.repeat(256) });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field_name).toBe('Idempotency-Key');
  });
});
