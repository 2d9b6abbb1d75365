import { eventually } from '@shipbatch/platform/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';

const FROM = { name: 'Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: '2', mass_unit: 'lb' };
const BIG = 300;
const SMALL = 3;

function shipments(n: number, customer: string) {
  return Array.from({ length: n }, (_, i) => ({
    shipment: {
      address_from: FROM,
      address_to: { name: `${customer} ${i}`, street1: `${i} Mission St`, city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' },
      parcels: [PARCEL],
    },
  }));
}

const bought = (body: { object_results: { purchase_succeeded: number; purchase_failed: number } }) =>
  body.object_results.purchase_succeeded + body.object_results.purchase_failed;

/**
 * The noisy neighbour: tenant B's small batch, bought while tenant A's larger one is being
 * bought, is not queued behind all of A's purchase jobs (the queues serve tenants in turns).
 * Two purchase jobs at once and a slow provider for A (50 ms a label) make A's batch take
 * seconds; B's is PURCHASED while most of A's is still to buy. Behaviour, not time: in a queue
 * served first come, first served, B's job would start only after all of A's 30. And when A's
 * jobs hold every purchase slot, B (little to buy) takes the express lane instead of waiting for
 * one of them to end.
 */
describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('fair between tenants, %s mode', (_mode, start) => {
  let h: Harness;
  let anon: Client;

  const tenant = async (name: string) => {
    const res = await anon.post('/admin/tenants', { name }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(res.status).toBe(201);
    const client = anon.withKey(res.body.api_key as string);
    const account = await client.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: name, parameters: {} });
    expect(account.status).toBe(201);
    return { client, account: account.body.object_id as string };
  };

  const validBatch = async (t: { client: Client; account: string }, n: number, customer: string) => {
    const created = await t.client.post('/batches', {
      default_carrier_account: t.account,
      default_servicelevel_token: 'usps_priority',
      batch_shipments: shipments(n, customer),
    });
    expect(created.status).toBe(201);
    const valid = await eventually(
      () => t.client.get(`/batches/${created.body.object_id}`),
      (r) => r.body.object_status !== 'VALIDATING',
    );
    expect(valid.body.object_status).toBe('VALID');
    return created.body.object_id as string;
  };

  /** Buys B's small batch; answers A's batch as it stood when B's was PURCHASED. */
  const buySmallMeanwhile = async (b: { client: Client }, small: string, a: { client: Client }, big: string) => {
    expect((await b.client.post(`/batches/${small}/purchase`)).status).toBe(202);
    const done = await eventually(
      () => b.client.get(`/batches/${small}`),
      (r) => r.body.object_status === 'PURCHASED',
      { intervalMs: 20 },
    );
    const meanwhile = await a.client.get(`/batches/${big}`);
    expect(done.body.object_results.purchase_succeeded).toBe(SMALL);
    return meanwhile;
  };

  beforeAll(async () => {
    // Tenants with at most 5 shipments to buy take the express lane (40 by default).
    h = await start({ env: { PURCHASE_CONCURRENCY: '2', PURCHASE_EXPRESS_MAX_SHIPMENTS: '5' } });
    anon = new Client(h.baseUrl);
  });

  afterAll(async () => {
    await h?.close();
  });

  it("buys tenant B's small batch while most of tenant A's larger batch is still queued", async () => {
    const a = await tenant('tenant-a');
    const b = await tenant('tenant-b');
    const big = await validBatch(a, BIG, 'A');
    const small = await validBatch(b, SMALL, 'B');
    // A's provider is slow from now on (validated at full speed): 50 ms a label.
    expect((await a.client.put(`/carrier_accounts/${a.account}`, { parameters: { latency_ms: 50 } })).status).toBe(200);

    expect((await a.client.post(`/batches/${big}/purchase`)).status).toBe(202);
    await eventually(
      () => a.client.get(`/batches/${big}`),
      (r) => bought(r.body) > 0,
      { intervalMs: 20 },
    );
    const meanwhile = await buySmallMeanwhile(b, small, a, big);
    expect(meanwhile.body.object_status).toBe('PURCHASING');
    // Most of A is still to buy: B's job was taken after about one of A's, not after all 30.
    expect(bought(meanwhile.body)).toBeLessThan(BIG / 2);

    const finished = await eventually(
      () => a.client.get(`/batches/${big}`),
      (r) => r.body.object_status === 'PURCHASED',
      { intervalMs: 200 },
    );
    expect(finished.body.object_results.purchase_succeeded).toBe(BIG);
  });

  it("buys tenant B's small batch through the express lane while tenant A's jobs hold every purchase slot", async () => {
    const a = await tenant('tenant-a2');
    const b = await tenant('tenant-b2');
    // 20 shipments: more than 5, A's two jobs of 10 take the regular lane's two slots.
    const big = await validBatch(a, 20, 'A2');
    const small = await validBatch(b, SMALL, 'B2');
    // Each of A's jobs takes 10 x 500 ms: a regular job of B could start only once one of them ends, with 10 of A's labels bought.
    expect((await a.client.put(`/carrier_accounts/${a.account}`, { parameters: { latency_ms: 500 } })).status).toBe(200);

    const balance = async () => (await a.client.get(`/carrier_accounts/${a.account}/balance`)).body.amount as number;
    const before = await balance();
    expect((await a.client.post(`/batches/${big}/purchase`)).status).toBe(202);
    // A's first label is sold (the mock debits its balance); a job records its labels when it ends.
    await eventually(balance, (amount) => amount < before, { intervalMs: 20 });
    const meanwhile = await buySmallMeanwhile(b, small, a, big);
    // Neither of A's jobs had ended (each records its 10 labels at its end): B did not wait for a regular slot.
    expect(bought(meanwhile.body)).toBe(0);

    const finished = await eventually(
      () => a.client.get(`/batches/${big}`),
      (r) => r.body.object_status === 'PURCHASED',
      { intervalMs: 200 },
    );
    expect(finished.body.object_results.purchase_succeeded).toBe(20);
  });
});
