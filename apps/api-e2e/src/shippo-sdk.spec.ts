import { Shippo } from 'shippo';
import { HTTPClient } from 'shippo/lib/http';
import { eventually } from '@shipbatch/platform/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';
import { checkedFetch } from './openapi-check';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' };
const PARCEL = { length: '10', width: '8', height: '4', distanceUnit: 'in', weight: '2', massUnit: 'lb' } as const;

/** A page link without its origin (links are built from PUBLIC_BASE_URL). */
const local = (url: string | undefined) => (url ? new URL(url).pathname + new URL(url).search : url);

/**
 * A Shippo client, unchanged: the official `shippo` SDK drives the whole batch workflow and the
 * list routes. The SDK parses every answer with its own strict schemas (zod), so a field of the
 * wrong type or a missing required one fails the call. Every answer is also checked against
 * /docs-json (openapi-check.ts).
 */
describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('the official shippo SDK, %s mode', (_mode, start) => {
  let h: Harness;
  let shippo: Shippo;
  let raw: Client;

  beforeAll(async () => {
    h = await start();
    const anon = new Client(h.baseUrl);
    const res = await anon.post('/admin/tenants', { name: 'sdk' }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(res.status).toBe(201);
    shippo = new Shippo({
      apiKeyHeader: `ShippoToken ${res.body.api_key}`,
      serverURL: h.baseUrl,
      httpClient: new HTTPClient({ fetcher: checkedFetch(h.baseUrl) }),
    });
    raw = anon.withKey(res.body.api_key);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('creates, gets and lists addresses and parcels, paging with page and results', async () => {
    const made = [];
    for (const name of ['A', 'B', 'C', 'D', 'E', 'F', 'G']) made.push(await shippo.addresses.create({ ...FROM, name }));
    expect(made[0]).toMatchObject({ name: 'A', street1: FROM.street1, isComplete: true });
    expect((await shippo.addresses.get(made[3].objectId as string)).name).toBe('D');

    // Shippo's default page of addresses is 5, newest first.
    const first = await shippo.addresses.list();
    expect(first.results?.map((a) => a.name)).toEqual(['G', 'F', 'E', 'D', 'C']);
    expect(local(first.next)).toBe('/addresses?page=2&results=5');
    expect(first.previous).toBeUndefined(); // null on the wire; the SDK drops nulls
    const second = await shippo.addresses.list(2, 5);
    expect(second.results?.map((a) => a.name)).toEqual(['B', 'A']);
    expect(second.next).toBeUndefined();
    expect(local(second.previous)).toBe('/addresses?page=1&results=5');
    expect((await shippo.addresses.list(1, 100)).results).toHaveLength(7);

    const parcel = await shippo.parcels.create(PARCEL);
    expect(parcel).toMatchObject({ length: '10', weight: '2', massUnit: 'lb', objectState: 'VALID' });
    expect((await shippo.parcels.get(parcel.objectId as string)).objectId).toBe(parcel.objectId);
    const parcels = await shippo.parcels.list();
    expect(parcels.results?.map((p) => p.objectId)).toEqual([parcel.objectId]);
  });

  it('creates, lists, gets and updates carrier accounts without a provider field', async () => {
    const usps = await shippo.carrierAccounts.create({ carrier: 'usps', accountId: 'sdk-usps', parameters: { label_cost: 4 } });
    const ups = await shippo.carrierAccounts.create({ carrier: 'ups', accountId: 'sdk-ups', parameters: {}, active: true });
    expect(usps).toMatchObject({ carrier: 'usps', accountId: 'sdk-usps', active: true });

    const all = await shippo.carrierAccounts.list({});
    expect(all.results?.map((a) => a.objectId)).toEqual([usps.objectId, ups.objectId]);
    const onlyUps = await shippo.carrierAccounts.list({ carrier: 'ups' });
    expect(onlyUps.results?.map((a) => a.objectId)).toEqual([ups.objectId]);
    const byAccountId = await shippo.carrierAccounts.list({ accountId: 'sdk-usps' });
    expect(byAccountId.results?.map((a) => a.objectId)).toEqual([usps.objectId]);
    const paged = await shippo.carrierAccounts.list({ page: 2, results: 1 });
    expect(paged.results?.map((a) => a.objectId)).toEqual([ups.objectId]);
    expect(local(paged.previous)).toBe('/carrier_accounts?page=1&results=1');

    expect((await shippo.carrierAccounts.get(ups.objectId as string)).carrier).toBe('ups');
    const updated = await shippo.carrierAccounts.update(ups.objectId as string, {
      carrier: 'ups',
      accountId: 'sdk-ups',
      active: false,
      parameters: {},
    });
    expect(updated.active).toBe(false);
    expect((await shippo.carrierAccounts.get(ups.objectId as string)).active).toBe(false);
  });

  it('runs a batch: create, get with paging, remove, add, purchase; then its shipments and transactions', async () => {
    const account = (await shippo.carrierAccounts.create({ carrier: 'usps', accountId: 'sdk-batch', parameters: { initial_balance: 1000 } }))
      .objectId as string;
    const from = (await shippo.addresses.create(FROM)).objectId as string;
    const shipments = Array.from({ length: 103 }, (_, i) => ({
      shipment: { addressFrom: from, addressTo: { ...TO, name: `Customer ${i}` }, parcels: [PARCEL] },
      metadata: `order ${i}`,
    }));
    shipments[1] = { shipment: { addressFrom: from, addressTo: { ...TO, zip: undefined } as never, parcels: [PARCEL] }, metadata: 'bad' };

    const created = await shippo.batches.create({
      defaultCarrierAccount: account,
      defaultServicelevelToken: 'usps_priority',
      labelFiletype: 'PDF_4x6',
      metadata: 'SDK batch',
      batchShipments: shipments,
    });
    expect(created.status).toBe('VALIDATING');
    const id = created.objectId as string;

    const invalid = await eventually(
      () => shippo.batches.get(id),
      (b) => b.status !== 'VALIDATING',
    );
    expect(invalid.status).toBe('INVALID');
    expect(invalid.objectResults).toMatchObject({ creationFailed: 1, creationSucceeded: 102 });
    expect(invalid.batchShipments.results).toHaveLength(100);
    const page2 = await shippo.batches.get(id, 2);
    expect(page2.batchShipments.results?.map((s) => s.metadata)).toEqual(['order 100', 'order 101', 'order 102']);

    const bad = invalid.batchShipments.results?.find((s) => s.metadata === 'bad');
    expect(bad?.status).toBe('INCOMPLETE');
    const removed = await shippo.batches.removeShipments([bad?.objectId as string], id);
    expect(removed.status).toBe('VALID');
    const added = await shippo.batches.addShipments(
      [{ shipment: { addressFrom: from, addressTo: { ...TO, name: 'Fixed' }, parcels: [PARCEL] }, metadata: 'fixed' }],
      id,
    );
    expect(added.objectId).toBe(id);
    const valid = await eventually(
      () => shippo.batches.get(id),
      (b) => b.status !== 'VALIDATING',
    );
    expect(valid.status).toBe('VALID');

    const purchasing = await shippo.batches.purchase(id);
    expect(purchasing.status).toBe('PURCHASING');
    const purchased = await eventually(
      () => shippo.batches.get(id),
      (b) => b.status !== 'PURCHASING',
    );
    expect(purchased.status).toBe('PURCHASED');
    expect(purchased.objectResults).toMatchObject({ purchaseSucceeded: 103, purchaseFailed: 0 });
    expect(purchased.labelUrl).toHaveLength(2); // at most 100 labels a merged file

    // Every batch shipment points at a shipment and a transaction that can be fetched.
    const one = purchased.batchShipments.results?.[0];
    const shipment = await shippo.shipments.get(one?.shipment as string);
    expect(shipment).toMatchObject({ objectId: one?.shipment, status: 'SUCCESS', metadata: expect.any(String) });
    expect(shipment.addressFrom).toMatchObject({ objectId: from, name: FROM.name });
    expect(shipment.addressTo).toMatchObject({ street1: TO.street1, zip: TO.zip });
    expect(shipment.parcels).toEqual([expect.objectContaining({ length: '10', massUnit: 'lb' })]);
    const tx = await shippo.transactions.get(one?.transaction as string);
    expect(tx).toMatchObject({ objectId: one?.transaction, status: 'SUCCESS', trackingNumber: expect.stringMatching(/^\d{22}$/) });

    const listedShipments = await shippo.shipments.list({ results: 100 });
    expect(listedShipments.results).toHaveLength(100);
    expect(local(listedShipments.next)).toBe('/shipments?page=2&results=100');
    // 104: the 103 bought, and the incomplete one's shipment (removed from the batch, still a shipment).
    const rest = await shippo.shipments.list({ page: 2, results: 100 });
    expect(rest.results).toHaveLength(4);
    const allShipmentIds = new Set([...(listedShipments.results ?? []), ...(rest.results ?? [])].map((s) => s.objectId));
    for (const s of purchased.batchShipments.results ?? []) expect(allShipmentIds).toContain(s.shipment);

    const transactions = await shippo.transactions.list({});
    expect(transactions.results).toHaveLength(25);
    expect(local(transactions.next)).toBe('/transactions?page=2&results=25');
    const succeeded = await shippo.transactions.list({ objectStatus: 'SUCCESS', results: 100, page: 2 });
    expect(succeeded.results).toHaveLength(3);
    expect(local(succeeded.previous)).toBe('/transactions?object_status=SUCCESS&page=1&results=100');
    expect((await shippo.transactions.list({ objectStatus: 'REFUNDED' })).results).toEqual([]);
    expect((await shippo.transactions.list({ trackingStatus: 'DELIVERED' })).results).toEqual([]);
  });

  it('lists transactions newest first and shows a voided label as REFUNDED', async () => {
    const first = (await shippo.transactions.list({ results: 1 })).results?.[0];
    expect(first).toBeDefined();
    const voided = await raw.put(`/v2/labels/${first?.objectId}/void`);
    expect(voided.body).toMatchObject({ approved: true });
    const refunded = await shippo.transactions.list({ objectStatus: 'REFUNDED' });
    expect(refunded.results?.map((t) => [t.objectId, t.status])).toEqual([[first?.objectId, 'REFUNDED']]);
    expect((await shippo.transactions.get(first?.objectId as string)).status).toBe('REFUNDED');
  });

  it("spells a currency as each shape's source does: Shippo's upper case, ShipStation's lower case", async () => {
    // The SDK's transaction model has no amount (Shippo puts it on the rate): read it raw.
    const tx = (await raw.get('/transactions?results=1&object_status=SUCCESS')).body.results[0];
    expect(tx).toMatchObject({ currency: 'USD', amount: expect.stringMatching(/^\d+\.\d{2}$/) });
    const label = await raw.get(`/v2/labels/${tx.object_id}`);
    expect(label.body.shipment_cost).toEqual({ currency: 'usd', amount: expect.any(Number) });
    expect(label.body.insurance_cost.currency).toBe('usd');
    const account = tx.carrier_account as string;
    expect((await raw.get(`/carrier_accounts/${account}/balance`)).body.currency).toBe('usd');
    // Either spelling is accepted in a request.
    const topped = await raw.post(`/carrier_accounts/${account}/add_funds`, { amount: '10.00', currency: 'USD' });
    expect(topped.status).toBe(200);
    expect(topped.body.currency).toBe('usd');
    const events = await raw.get(`/carrier_accounts/${account}/funding_events`);
    expect(events.body.results[0].amount).toEqual({ currency: 'usd', amount: 10 });
  });

  it('answers an unknown shipment with 404 and bad paging with 400 naming the field', async () => {
    await expect(shippo.shipments.get('ffffffffffffffffffffffffffffffff')).rejects.toThrow();
    const missing = await raw.get('/shipments/ffffffffffffffffffffffffffffffff');
    expect(missing.status).toBe(404);
    const tooMany = await raw.get('/addresses?results=101');
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('results');
    const badStatus = await raw.get('/transactions?object_status=DONE');
    expect(badStatus.status).toBe(400);
    expect(JSON.stringify(badStatus.body)).toContain('object_status');
  });
});
