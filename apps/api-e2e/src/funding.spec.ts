import { randomUUID } from 'node:crypto';
import { eventually } from '@shipbatch/platform/testing';
import { type FakeShipStation, startFakeShipStation } from '@shipbatch/providers/shipstation/testing';
import { Client } from './client';
import { ADMIN_TOKEN, type Harness, startEmbedded, startScaleOut } from './harness';

const FROM = { name: 'Shippo Warehouse', street1: '215 Clayton St.', city: 'San Francisco', state: 'CA', zip: '94117', country: 'US' };
const TO = { name: 'Mr Hippo', street1: '965 Mission St', city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' };
const PARCEL = { length: '10', width: '8', height: '4', distance_unit: 'in', weight: 2, mass_unit: 'lb' };
/** ShipStation's ship_from needs a phone number. */
const SS_FROM = { ...FROM, phone: '4151234567' };

describe.each([
  ['embedded', startEmbedded],
  ['scale-out', startScaleOut],
])('funding, %s mode', (_mode, start) => {
  let h: Harness;
  let anon: Client;
  let acme: Client;
  let other: Client;
  let fake: FakeShipStation;

  const newTenant = async (name: string) => {
    const res = await anon.post('/admin/tenants', { name }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(res.status).toBe(201);
    return res.body.api_key as string;
  };

  const mockAccount = async (parameters: Record<string, unknown>, funding?: Record<string, unknown>) => {
    const res = await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'acct', parameters, ...(funding ? { funding } : {}) });
    expect(res.status).toBe(201);
    return res.body.object_id as string;
  };

  const balanceOf = async (account: string) => (await acme.get(`/carrier_accounts/${account}/balance`)).body.amount as number;
  const eventsOf = async (account: string) => (await acme.get(`/carrier_accounts/${account}/funding_events`)).body.results as any[];

  /**
   * A ShipStation carrier (USPS through Stamps.com) at the fake with this balance in dollars, and
   * our carrier account for it. These cases are about single purchases: no share here is large
   * enough for ShipStation's batch path (shipstation-batches.spec.ts covers funding there).
   */
  const shipStationAccount = async (balance: number, funding: Record<string, unknown>) => {
    const apiKey = `TEST_${randomUUID()}`;
    const carrierId = `se-${Math.floor(Math.random() * 1e9)}`;
    fake.addAccount({ apiKey, carriers: [{ carrierId, carrierCode: 'stamps_com', balance }] });
    const res = await acme.post('/carrier_accounts', {
      provider: 'shipstation',
      carrier: 'usps',
      account_id: carrierId,
      parameters: { api_key: apiKey, carrier_id: carrierId, rate_limit_per_minute: 600, native_batch_min_size: 1000 },
      funding,
    });
    expect(res.status).toBe(201);
    return { id: res.body.object_id as string, carrierId };
  };

  /** A batch of `n` shipments on `account`, validated, then purchased to the end. */
  const purchaseBatch = async (account: string, n: number, from: Record<string, unknown> = FROM) => {
    const created = await acme.post('/batches', {
      default_carrier_account: account,
      default_servicelevel_token: 'usps_priority',
      batch_shipments: Array.from({ length: n }, () => ({ shipment: { address_from: from, address_to: TO, parcels: [PARCEL] } })),
    });
    expect(created.status).toBe(201);
    const id = created.body.object_id as string;
    const valid = await eventually(
      () => acme.get(`/batches/${id}`),
      (r) => r.body.object_status !== 'VALIDATING',
    );
    expect(valid.body.object_status).toBe('VALID');
    return purchaseAgain(id);
  };

  const purchaseAgain = async (id: string) => {
    expect((await acme.post(`/batches/${id}/purchase`)).status).toBe(202);
    const done = await eventually(
      () => acme.get(`/batches/${id}`),
      (r) => r.body.object_status !== 'PURCHASING',
    );
    expect(done.body.object_status).toBe('PURCHASED');
    return done.body;
  };

  beforeAll(async () => {
    fake = await startFakeShipStation({ rateLimitPerMinute: 600 });
    h = await start({ env: { SHIPSTATION_BASE_URL: fake.url } });
    anon = new Client(h.baseUrl);
    acme = anon.withKey(await newTenant('acme'));
    other = anon.withKey(await newTenant('other'));
  });

  afterEach(() => {
    fake.faults.clear();
    expect(fake.violations()).toEqual([]);
  });

  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  describe('accounts and manual top-ups', () => {
    it('adds funds by hand, answers the balance, and lists every top-up newest first', async () => {
      const account = await mockAccount({ initial_balance: 10 });
      const added = await acme.post(`/carrier_accounts/${account}/add_funds`, { amount: '50.00' });
      expect(added.status).toBe(200);
      expect(added.body).toEqual({ currency: 'usd', amount: 60 });
      expect((await acme.post(`/carrier_accounts/${account}/add_funds`, { amount: 2.5 })).body).toEqual({ currency: 'usd', amount: 62.5 });
      expect(await balanceOf(account)).toBe(62.5);

      const list = await acme.get(`/carrier_accounts/${account}/funding_events`);
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ count: 2, next: null, previous: null });
      expect(list.body.results).toEqual([
        {
          object_id: expect.any(String),
          carrier_account: account,
          amount: { currency: 'usd', amount: 2.5 },
          balance_before: { currency: 'usd', amount: 60 },
          balance_after: { currency: 'usd', amount: 62.5 },
          reason: 'manual',
          status: 'succeeded',
          message: expect.any(String),
          object_created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
        expect.objectContaining({ amount: { currency: 'usd', amount: 50 }, balance_before: { currency: 'usd', amount: 10 }, reason: 'manual' }),
      ]);
      const page = await acme.get(`/carrier_accounts/${account}/funding_events?page=1&results=1`);
      expect(page.body.count).toBe(2);
      expect(page.body.results).toHaveLength(1);
      expect(page.body.next).toMatch(/\/funding_events\?page=2&results=1$/);
      const second = await acme.get(`/carrier_accounts/${account}/funding_events?page=2&results=1`);
      expect(second.body.results[0].amount.amount).toBe(50);
      expect(second.body.previous).toMatch(/page=1&results=1$/);
    });

    it('refuses amounts that are not numbers or not positive, and another tenant\'s account', async () => {
      const account = await mockAccount({});
      const bad = await acme.post(`/carrier_accounts/${account}/add_funds`, { amount: 'abc' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0]).toMatchObject({ field_name: 'amount', error_type: 'validation' });
      expect(bad.body.errors[0].message).toContain('must be a number');
      expect((await acme.post(`/carrier_accounts/${account}/add_funds`, { amount: 0 })).status).toBe(400);
      expect((await acme.post(`/carrier_accounts/${account}/add_funds`, {})).status).toBe(400);

      expect((await other.post(`/carrier_accounts/${account}/add_funds`, { amount: 5 })).status).toBe(404);
      expect((await other.get(`/carrier_accounts/${account}/funding_events`)).status).toBe(404);
      expect(await eventsOf(account)).toEqual([]);
    });

    it('takes mock parameters as decimal strings, and answers 400 "must be a number" for anything else', async () => {
      const account = await mockAccount({ label_cost: '5.00', initial_balance: '100' });
      expect(await balanceOf(account)).toBe(100);
      const bad = await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'x', parameters: { label_cost: 'abc' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field_name).toBe('parameters.label_cost');
      expect(bad.body.errors[0].message).toContain('must be a number');
      const badPut = await acme.put(`/carrier_accounts/${account}`, { parameters: { latency_ms: 'soon' } });
      expect(badPut.status).toBe(400);
      expect(badPut.body.errors[0]).toMatchObject({ field_name: 'parameters.latency_ms' });
      expect(badPut.body.errors[0].message).toContain('must be a number');

      const batch = await purchaseBatch(account, 2);
      expect(batch.object_results).toMatchObject({ purchase_succeeded: 2, purchase_failed: 0 });
      expect(await balanceOf(account)).toBe(90);
    });

    it('keeps a funding policy through POST, PUT and GET (disabled by default), and validates it', async () => {
      const plain = await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'p', parameters: {} });
      expect(plain.body.funding).toEqual({ enabled: false, min_balance: 0, top_up_amount: 0, daily_cap: 0 });

      const created = await acme.post('/carrier_accounts', {
        provider: 'mock',
        carrier: 'usps',
        account_id: 'f',
        parameters: {},
        funding: { enabled: true, min_balance: '100.00', top_up_amount: 500, daily_cap: '2000.50' },
      });
      expect(created.status).toBe(201);
      expect(created.body.funding).toEqual({ enabled: true, min_balance: 100, top_up_amount: 500, daily_cap: 2000.5 });
      const id = created.body.object_id;
      expect((await acme.get(`/carrier_accounts/${id}`)).body.funding).toEqual(created.body.funding);

      const changed = await acme.put(`/carrier_accounts/${id}`, { funding: { enabled: false, min_balance: '25' } });
      expect(changed.status).toBe(200);
      expect(changed.body.funding).toEqual({ enabled: false, min_balance: 25, top_up_amount: 500, daily_cap: 2000.5 });
      expect((await acme.get(`/carrier_accounts/${id}`)).body.funding).toEqual(changed.body.funding);
      const listed = (await acme.get('/carrier_accounts')).body.results.find((a: { object_id: string }) => a.object_id === id);
      expect(listed.funding).toEqual(changed.body.funding);

      const notNumber = await acme.put(`/carrier_accounts/${id}`, { funding: { min_balance: 'lots' } });
      expect(notNumber.status).toBe(400);
      expect(notNumber.body.errors[0].field_name).toBe('funding.min_balance');
      expect(notNumber.body.errors[0].message).toContain('must be a number');
      const negative = await acme.put(`/carrier_accounts/${id}`, { funding: { daily_cap: -1 } });
      expect(negative.status).toBe(400);
      expect(negative.body.errors[0].field_name).toBe('funding.daily_cap');
      const noTopUp = await acme.post('/carrier_accounts', { provider: 'mock', carrier: 'usps', account_id: 'n', parameters: {}, funding: { enabled: true } });
      expect(noTopUp.status).toBe(400);
      expect(noTopUp.body.errors[0].field_name).toBe('funding.top_up_amount');
      expect((await acme.get(`/carrier_accounts/${id}`)).body.funding).toEqual(changed.body.funding);
      expect((await other.put(`/carrier_accounts/${id}`, { funding: { enabled: false } })).status).toBe(404);
    });
  });

  // The purchase path's funding: PurchaseBatchUseCase runs FundAheadUseCase, PurchaseShipmentUseCase
  // runs HandleInsufficientFundsUseCase.
  describe('at purchase time', () => {
    it('tops up ahead of a batch when the balance would fall below min_balance', async () => {
      const account = await mockAccount({ initial_balance: 10, label_cost: '5.00' }, { enabled: true, min_balance: 20, top_up_amount: 100, daily_cap: 1000 });
      const batch = await purchaseBatch(account, 3);
      expect(batch.object_results).toMatchObject({ purchase_succeeded: 3, purchase_failed: 0 });
      // estimate 15 (the mock's quote): 10 - 15 < 20, so max(100, 15 + 20 - 10) = 100 is added first.
      expect(await balanceOf(account)).toBe(95);
      expect(await eventsOf(account)).toEqual([
        expect.objectContaining({
          reason: 'pre_purchase',
          status: 'succeeded',
          amount: { currency: 'usd', amount: 100 },
          balance_before: { currency: 'usd', amount: 10 },
          balance_after: { currency: 'usd', amount: 110 },
        }),
      ]);
    });

    it('tops up once ahead when the balance is already under min_balance (ShipStation, no label bought on the account yet)', async () => {
      const acct = await shipStationAccount(20, { enabled: true, min_balance: '50.00', top_up_amount: '100.00', daily_cap: '1000.00' });
      const batch = await purchaseBatch(acct.id, 10, SS_FROM);
      expect(batch.object_results).toMatchObject({ purchase_succeeded: 10, purchase_failed: 0 });
      // ShipStation's rate estimate: 10 x 7.58 = 75.80; 20.00 - 75.80 < 50.00, so 75.80 + 50.00 - 20.00 = 105.80 is added first.
      expect(await eventsOf(acct.id)).toEqual([
        expect.objectContaining({
          reason: 'pre_purchase',
          status: 'succeeded',
          amount: { currency: 'usd', amount: 105.8 },
          balance_before: { currency: 'usd', amount: 20 },
          balance_after: { currency: 'usd', amount: 125.8 },
        }),
      ]);
      const added = fake.fundsAdded(acct.carrierId);
      const sold = fake.sales().filter((s) => s.carrierId === acct.carrierId);
      expect(added).toHaveLength(1);
      expect(sold).toHaveLength(10);
      expect(added[0].at).toBeLessThanOrEqual(Math.min(...sold.map((s) => s.at)));
      expect(await balanceOf(acct.id)).toBe(50);
    });

    it('estimates at the price quoted now, not the last price paid', async () => {
      const account = await mockAccount({ initial_balance: 6, label_cost: 1 }, { enabled: true, min_balance: 0, top_up_amount: 10, daily_cap: 100 });
      await purchaseBatch(account, 1); // last price paid: 1.00; balance 5
      expect(await eventsOf(account)).toEqual([]);
      // The price goes up: the last price paid (2 x 1.00) would be short, the quote (2 x 5.00) is not.
      expect((await acme.put(`/carrier_accounts/${account}`, { parameters: { label_cost: '5.00' } })).status).toBe(200);
      const batch = await purchaseBatch(account, 2);
      expect(batch.object_results).toMatchObject({ purchase_succeeded: 2, purchase_failed: 0 });
      expect(await balanceOf(account)).toBe(5); // 5 + 10 - 5 - 5
      expect(await eventsOf(account)).toEqual([
        expect.objectContaining({
          reason: 'pre_purchase',
          status: 'succeeded',
          amount: { currency: 'usd', amount: 10 },
          balance_before: { currency: 'usd', amount: 5 },
          balance_after: { currency: 'usd', amount: 15 },
        }),
      ]);
    });

    it('tops up once when the balance runs out mid-purchase (no estimate to go on), and buys the shipment instead of failing it', async () => {
      const acct = await shipStationAccount(10, { enabled: true, min_balance: 0, top_up_amount: 100, daily_cap: 1000 });
      // ShipStation's rate estimate is down and no label was bought on the account: the batch cannot be priced ahead.
      fake.faults.inject({ kind: 'status', status: 503, body: { request_id: randomUUID(), errors: [] } }, { operationId: 'estimate_rates', times: Infinity });
      const batch = await purchaseBatch(acct.id, 3, SS_FROM);
      expect(batch.object_results).toMatchObject({ purchase_succeeded: 3, purchase_failed: 0 });
      expect(await balanceOf(acct.id)).toBe(87.26); // 10 - 7.58, + 100, - 7.58 - 7.58
      expect(await eventsOf(acct.id)).toEqual([
        expect.objectContaining({
          reason: 'insufficient_funds',
          status: 'succeeded',
          amount: { currency: 'usd', amount: 100 },
          balance_before: { currency: 'usd', amount: 2.42 },
          balance_after: { currency: 'usd', amount: 102.42 },
        }),
      ]);
    });

    it('buys all of a 60-shipment batch whose estimate failed, topping up one at a time for what is still to buy, within the cap (several workers in scale-out)', async () => {
      // Scale-out: a second worker process takes purchase jobs beside the in-process one.
      if (h.mode === 'scale-out' && h.children.length === 0) await h.spawnWorker();
      // A top-up of 20.00 pays for two labels of 7.58: topping up by it alone, parallel purchases spend each top-up before the retry.
      const acct = await shipStationAccount(10, { enabled: true, min_balance: 0, top_up_amount: '20.00', daily_cap: '1000.00' });
      fake.faults.inject({ kind: 'status', status: 503, body: { request_id: randomUUID(), errors: [] } }, { operationId: 'estimate_rates', times: Infinity });
      const batch = await purchaseBatch(acct.id, 60, SS_FROM);
      const failed = (await acme.get(`/batches/${batch.object_id}?object_results=purchase_failed`)).body.batch_shipments.results;
      expect(failed.map((s: any) => s.messages[0]?.text)).toEqual([]);
      expect(batch.object_results).toMatchObject({ purchase_succeeded: 60, purchase_failed: 0 });

      const events = await eventsOf(acct.id);
      expect(events.map((e) => `${e.reason} ${e.status}`)).toEqual(events.map(() => 'insufficient_funds succeeded'));
      // The workers refused at once waited for one top-up, sized for every shipment still to buy.
      expect(events).toHaveLength(1);
      const added = events.reduce((sum, e) => sum + Math.round(e.amount.amount * 100), 0);
      expect(added).toBeLessThanOrEqual(100_000);
      expect(added).toBeGreaterThanOrEqual(59 * 758 - 242);
      expect(fake.fundsAdded(acct.carrierId).map((f) => Math.round(f.amount * 100))).toEqual(events.map((e) => Math.round(e.amount.amount * 100)));
      expect(fake.sales().filter((s) => s.carrierId === acct.carrierId)).toHaveLength(60);
      expect(Math.round((await balanceOf(acct.id)) * 100)).toBe(1_000 + added - 60 * 758);
    });

    it('without funding, fails the shipments it cannot pay for with the balance and the amount needed; buys them after add_funds', async () => {
      const account = await mockAccount({ initial_balance: 3, label_cost: '5.00' });
      const batch = await purchaseBatch(account, 1);
      expect(batch.object_results).toMatchObject({ purchase_succeeded: 0, purchase_failed: 1 });
      const failed = (await acme.get(`/batches/${batch.object_id}?object_results=purchase_failed`)).body.batch_shipments.results[0];
      expect(failed.object_status).toBe('TRANSACTION_FAILED');
      expect(failed.messages[0].code).toBe('insufficient_funds');
      expect(failed.messages[0].text).toContain('the balance is 3.00 usd and this label needs 5.00 usd');
      expect(failed.messages[0].text).toContain('automatic funding is off');
      expect(await eventsOf(account)).toEqual([]);

      expect((await acme.post(`/carrier_accounts/${account}/add_funds`, { amount: '10' })).body.amount).toBe(13);
      const again = await purchaseAgain(batch.object_id);
      expect(again.object_results).toMatchObject({ purchase_succeeded: 1, purchase_failed: 0 });
      expect(await balanceOf(account)).toBe(8);
    });

    it('never tops up past the daily cap; what it cannot pay for fails saying so', async () => {
      const account = await mockAccount({ initial_balance: 0, label_cost: '5.00' }, { enabled: true, min_balance: 0, top_up_amount: 10, daily_cap: 10 });
      const batch = await purchaseBatch(account, 3);
      // estimate 15, but the cap allows 10 ahead: two labels are bought, the third fails.
      expect(batch.object_results).toMatchObject({ purchase_succeeded: 2, purchase_failed: 1 });
      const failed = (await acme.get(`/batches/${batch.object_id}?object_results=purchase_failed`)).body.batch_shipments.results[0];
      expect(failed.messages[0].code).toBe('insufficient_funds');
      expect(failed.messages[0].text).toMatch(/the balance is 0\.00 usd and this label needs 5\.00 usd; the daily cap of 10\.00 usd/);
      expect(await balanceOf(account)).toBe(0);
      const events = await eventsOf(account);
      expect(events.map((e) => `${e.reason} ${e.status} ${e.amount.amount}`)).toEqual(['insufficient_funds failed 10', 'pre_purchase succeeded 10']);
      expect(events[0].message).toMatch(/daily cap .* reached/);

      // A manual top-up is never refused by the cap, and the failure is bought on the next purchase.
      expect((await acme.post(`/carrier_accounts/${account}/add_funds`, { amount: 5 })).body.amount).toBe(5);
      expect((await purchaseAgain(batch.object_id)).object_results).toMatchObject({ purchase_succeeded: 3, purchase_failed: 0 });
    });
  });
});
