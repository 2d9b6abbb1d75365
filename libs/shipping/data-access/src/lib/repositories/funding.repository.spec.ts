import { randomBytes } from 'node:crypto';
import { SecretBox } from '@shipbatch/platform/config';
import { openDatabase, type DatabaseHandle } from '@shipbatch/platform/database';
import { createTestDatabase, tempDir, type TestDatabase } from '@shipbatch/platform/testing';
import type { CarrierAccountRecord, FundingEventRecord } from '@shipbatch/shipping/application';
import { SHIPPING_ENTITIES } from '../entities';
import { TypeormCarrierAccountRepository } from './carrier-account.repository';
import { TypeormFundingRepository } from './funding.repository';
import { SHIPPING_MIGRATIONS } from '../migrations';

const event = (over: Partial<FundingEventRecord> & { id: string }): FundingEventRecord => ({
  tenantId: 't1',
  carrierAccountId: 'ca1',
  amountMinor: 1_000,
  currency: 'usd',
  balanceBeforeMinor: 100,
  balanceAfterMinor: 1_100,
  reason: 'manual',
  status: 'succeeded',
  message: '',
  ...over,
});

describe.each([
  ['PostgreSQL', true],
  ['embedded PGlite', false],
])('funding repository on %s', (_name, onPostgres) => {
  let testDb: TestDatabase | undefined;
  let db: DatabaseHandle;
  let funding: TypeormFundingRepository;
  let accounts: TypeormCarrierAccountRepository;

  const newAccount = (id: string, tenantId = 't1'): CarrierAccountRecord => ({
    id,
    tenantId,
    provider: 'mock',
    carrier: 'usps',
    accountId: 'acct',
    parameters: { label_cost: '5.00' },
    active: true,
    test: false,
    metadata: '',
    funding: { enabled: false, minBalanceMinor: 0, topUpAmountMinor: 0, dailyCapMinor: 0 },
    createdAt: new Date(),
    updatedAt: new Date(),
  });

  beforeAll(async () => {
    testDb = onPostgres ? await createTestDatabase('shipbatch_test_funding') : undefined;
    db = await openDatabase({ databaseUrl: testDb?.url, dataDir: tempDir('shipbatch-funding-') }, { entities: SHIPPING_ENTITIES, migrations: SHIPPING_MIGRATIONS });
    await db.dataSource.query(`INSERT INTO tenants (id, name) VALUES ('t1', 'acme'), ('t2', 'other')`);
    funding = new TypeormFundingRepository(db.dataSource);
    accounts = new TypeormCarrierAccountRepository(db.dataSource, new SecretBox(randomBytes(32)));
    for (const id of ['ca1', 'ca2', 'ca3', 'ca4']) await accounts.insert(newAccount(id));
    await accounts.insert(newAccount('other1', 't2'));
  });
  afterAll(async () => {
    await db.close();
    await testDb?.drop();
  });

  it('keeps a carrier account\'s funding policy (disabled by default) and leaves the lock alone on update', async () => {
    expect((await accounts.findById('t1', 'ca1'))?.funding).toEqual({ enabled: false, minBalanceMinor: 0, topUpAmountMinor: 0, dailyCapMinor: 0 });
    const token = await funding.tryLock('ca2', 60_000);
    const policy = { enabled: true, minBalanceMinor: 10_000, topUpAmountMinor: 50_000, dailyCapMinor: 9_007_199_254_740 };
    await accounts.update({ ...newAccount('ca2'), funding: policy });
    expect((await accounts.findById('t1', 'ca2'))?.funding).toEqual(policy);
    expect((await accounts.findMany('t1', ['ca2']))[0].funding).toEqual(policy);
    // The update did not release the lock.
    expect(await funding.tryLock('ca2', 60_000)).toBeNull();
    await funding.release('ca2', token as string);
    await db.dataSource.query(`INSERT INTO carrier_accounts (id, tenant_id, provider, carrier, account_id, parameters_sealed) VALUES ('raw', 't1', 'mock', 'usps', 'a', 'x')`);
    const [row] = await db.dataSource.query(`SELECT funding_enabled, funding_daily_cap_minor::int AS cap, funding_lock_until FROM carrier_accounts WHERE id = 'raw'`);
    expect(row).toEqual({ funding_enabled: false, cap: 0, funding_lock_until: null });
  });

  it('lets exactly one of many racing takers hold the lock, until released or its lease runs out', async () => {
    const tokens = await Promise.all(Array.from({ length: 8 }, () => funding.tryLock('ca1', 60_000)));
    const held = tokens.filter((t): t is string => t !== null);
    expect(held).toHaveLength(1);
    expect(await funding.tryLock('ca1', 60_000)).toBeNull();
    expect(await funding.topUpInProgress('ca1')).toBe(true);
    expect(await funding.topUpInProgress('ca3')).toBe(false);
    expect(await funding.topUpInProgress('nope')).toBe(false);
    // Another account's lock is its own.
    const other = await funding.tryLock('ca3', 60_000);
    expect(other).not.toBeNull();
    await funding.release('ca3', other as string);

    await funding.release('ca1', held[0]);
    expect(await funding.topUpInProgress('ca1')).toBe(false);
    const again = await funding.tryLock('ca1', 60_000);
    expect(again).not.toBeNull();

    // The holder crashed: once its lease has run out, the next taker gets the lock, and the
    // stale holder's late release does not free the new holding.
    await db.dataSource.query(`UPDATE carrier_accounts SET funding_lock_until = now() - interval '1 second' WHERE id = 'ca1'`);
    const [{ stale }] = await db.dataSource.query(`SELECT funding_lock_until::text AS stale FROM carrier_accounts WHERE id = 'ca1'`);
    expect(await funding.topUpInProgress('ca1')).toBe(false);
    const next = await funding.tryLock('ca1', 60_000);
    expect(next).not.toBeNull();
    await funding.release('ca1', stale);
    expect(await funding.tryLock('ca1', 60_000)).toBeNull();
    await funding.release('ca1', next as string);
    expect(await funding.tryLock('ca1', 1)).not.toBeNull();
  });

  it('records an event and releases the lock in one statement; a stale holding records without releasing', async () => {
    const token = (await funding.tryLock('ca4', 60_000)) as string;
    await funding.recordAndRelease(event({ id: 'e1', carrierAccountId: 'ca4', reason: 'insufficient_funds' }), token);
    const mine = (await funding.tryLock('ca4', 60_000)) as string;
    expect(mine).not.toBeNull();
    await funding.recordAndRelease(event({ id: 'e2', carrierAccountId: 'ca4', status: 'failed', balanceAfterMinor: null, message: 'nope' }), token);
    expect(await funding.tryLock('ca4', 60_000)).toBeNull();
    await funding.release('ca4', mine);

    const { total, items } = await funding.listEvents('t1', 'ca4', 0, 10);
    expect(total).toBe(2);
    expect(items.map((e) => e.id).sort()).toEqual(['e1', 'e2']);
    expect(items.find((e) => e.id === 'e2')).toMatchObject({
      tenantId: 't1',
      carrierAccountId: 'ca4',
      amountMinor: 1_000,
      currency: 'usd',
      balanceBeforeMinor: 100,
      balanceAfterMinor: null,
      reason: 'manual',
      status: 'failed',
      message: 'nope',
    });
    expect(items[0].createdAt).toBeInstanceOf(Date);
    await expect(
      db.dataSource.query(
        `INSERT INTO funding_events (id, tenant_id, carrier_account_id, amount_minor, currency, reason, status) VALUES ('bad', 't1', 'ca4', 1, 'usd', 'gift', 'succeeded')`,
      ),
    ).rejects.toThrow();
  });

  it('sums today\'s (UTC) succeeded top-ups, tells recent ones, and lists newest first, per tenant and page', async () => {
    const lock = async () => (await funding.tryLock('ca3', 60_000)) as string;
    await funding.recordAndRelease(event({ id: 'f1', carrierAccountId: 'ca3', amountMinor: 500 }), await lock());
    await funding.recordAndRelease(event({ id: 'f2', carrierAccountId: 'ca3', amountMinor: 700, status: 'failed' }), await lock());
    await funding.recordAndRelease(event({ id: 'f3', carrierAccountId: 'ca3', amountMinor: 300, reason: 'pre_purchase' }), await lock());
    await funding.recordAndRelease(event({ id: 'f0', carrierAccountId: 'ca3', amountMinor: 10_000 }), await lock());
    await db.dataSource.query(`UPDATE funding_events SET created_at = now() - interval '1 day' WHERE id = 'f0'`);
    await db.dataSource.query(`UPDATE funding_events SET created_at = now() + interval '1 millisecond' WHERE id = 'f3'`);
    expect(await funding.toppedUpToday('ca3')).toBe(800);
    expect(await funding.toppedUpToday('ca1')).toBe(0);
    expect(await funding.toppedUpRecently('ca3', 60_000)).toBe(true);
    expect(await funding.toppedUpRecently('ca1', 60_000)).toBe(false);

    const first = await funding.listEvents('t1', 'ca3', 0, 2);
    expect(first.total).toBe(4);
    expect(first.items.map((e) => e.id)).toEqual(['f3', expect.stringMatching(/^f[12]$/)]);
    const last = await funding.listEvents('t1', 'ca3', 3, 2);
    expect(last.items.map((e) => e.id)).toEqual(['f0']);
    expect(await funding.listEvents('t2', 'ca3', 0, 10)).toEqual({ total: 0, items: [] });
  });

  it('finds the last price paid per service, a batch\'s queued demand and an account\'s open demand per service, with the most common shapes', async () => {
    const label = (id: string, service: string, cost: number, ago: string) =>
      db.dataSource.query(
        `INSERT INTO labels (id, tenant_id, carrier_account_id, provider, provider_label_id, reference, status, tracking_number,
           carrier, service_code, cost_minor, currency, label_file_type, created_at)
         VALUES ($1, 't1', 'ca1', 'mock', $1, $1, 'completed', $1, 'usps', $2, $3, 'usd', 'PDF_4x6', now() - $4::interval)`,
        [id, service, cost, ago],
      );
    await label('l1', 'usps_priority', 700, '2 hours');
    await label('l2', 'usps_priority', 758, '1 hour');
    await label('l3', 'usps_first_class', 450, '3 hours');
    const prices = await funding.lastPrices('ca1', ['usps_priority', 'usps_first_class', 'usps_priority_express']);
    expect(Object.fromEntries(prices)).toEqual({ usps_priority: 758, usps_first_class: 450 });
    expect((await funding.lastPrices('ca2', ['usps_priority'])).size).toBe(0);

    await db.dataSource.query(
      `INSERT INTO batches (id, tenant_id, status, default_carrier_account, default_servicelevel_token, label_filetype)
       VALUES ('b1', 't1', 'PURCHASING', 'ca1', 'usps_priority', 'PDF_4x6')`,
    );
    const parcel = (weight: number) => ({ length: 10, width: 8, height: 4, distanceUnit: 'in', weight, massUnit: 'lb' });
    const frozen = (account: string, service: string, zip = '94103', weight = 2, name = 'Mr Hippo') =>
      JSON.stringify({
        carrierAccountId: account,
        command: {
          carrier: 'usps',
          serviceLevelToken: service,
          shipment: { addressFrom: { zip: '94117', country: 'US' }, addressTo: { name, zip, country: 'US' }, parcels: [parcel(weight)] },
          labelFileType: 'PDF_4x6',
        },
        warehouseId: null,
        externalShipmentId: null,
        isInternational: false,
      });
    // ca1 usps_priority: 2 x (94103, 2 lb) -- names differ, a rate does not see names -- 3 x (10001, 2 lb), 1 x (94103, 5 lb).
    const rows: Array<[number, string, string, string, string?, number?, string?]> = [
      [1, 'ca1', 'usps_priority', 'QUEUED', '94103', 2, 'A'],
      [2, 'ca1', 'usps_first_class', 'QUEUED'],
      [3, 'ca1', 'usps_priority', 'QUEUED', '94103', 2, 'B'],
      [4, 'ca2', 'usps_priority', 'QUEUED'],
      [5, 'ca1', 'usps_priority', 'PURCHASED'],
      [6, 'ca1', 'usps_priority', 'QUEUED', '10001', 2],
      [7, 'ca1', 'usps_priority', 'QUEUED', '10001', 2],
      [8, 'ca1', 'usps_priority', 'QUEUED', '94103', 5],
      [9, 'ca1', 'usps_priority', 'QUEUED', '10001', 2],
    ];
    for (const [position, account, service, state, zip, weight, name] of rows) {
      await db.dataSource.query(
        `INSERT INTO batch_shipments (id, tenant_id, batch_id, position, status, purchase_state, input, purchase_command)
         VALUES ($1, 't1', 'b1', $2, 'VALID', $3, '{}', $4::jsonb)`,
        [`bs${position}`, position, state, frozen(account, service, zip, weight, name)],
      );
    }
    const demand = await funding.queuedDemand('t1', 'b1', 10);
    expect(demand.map((d) => [d.carrierAccountId, d.serviceLevelToken, d.count, d.shapes.map((x) => x.count)])).toEqual([
      ['ca1', 'usps_priority', 6, [3, 2, 1]],
      ['ca1', 'usps_first_class', 1, [1]],
      ['ca2', 'usps_priority', 1, [1]],
    ]);
    // Each shape's sample is its first shipment in batch order.
    const zipOf = (x: { sample: { command: { shipment: { addressTo: { zip?: string } } } } }) => x.sample.command.shipment.addressTo.zip;
    expect(demand[0].shapes.map(zipOf)).toEqual(['10001', '94103', '94103']);
    expect(demand[0].shapes[1].sample.command.shipment.addressTo.name).toBe('A');
    expect(demand[1].shapes[0].sample.command.serviceLevelToken).toBe('usps_first_class');
    // At most maxShapes shapes per account and service; the count stays the whole share.
    const capped = await funding.queuedDemand('t1', 'b1', 1);
    expect(capped.map((d) => [d.serviceLevelToken, d.count, d.shapes.map((x) => x.count)])).toEqual([
      ['usps_priority', 6, [3]],
      ['usps_first_class', 1, [1]],
      ['usps_priority', 1, [1]],
    ]);
    expect(await funding.queuedDemand('t2', 'b1', 10)).toEqual([]);

    // What the account still has to pay for, in every batch: QUEUED and PURCHASING, not bought ones.
    await db.dataSource.query(
      `INSERT INTO batches (id, tenant_id, status, default_carrier_account, default_servicelevel_token, label_filetype)
       VALUES ('b2', 't1', 'PURCHASING', 'ca1', 'usps_priority', 'PDF_4x6')`,
    );
    const more: Array<[number, string, string, string, string?]> = [
      [1, 'ca1', 'usps_priority', 'PURCHASING', '94103'],
      [2, 'ca1', 'usps_priority', 'PURCHASING', '60601'],
      [3, 'ca1', 'usps_first_class', 'FAILED'],
      [4, 'ca2', 'usps_priority', 'PURCHASING'],
    ];
    for (const [position, account, service, state, zip] of more) {
      await db.dataSource.query(
        `INSERT INTO batch_shipments (id, tenant_id, batch_id, position, status, purchase_state, input, purchase_command)
         VALUES ($1, 't1', 'b2', $2, 'VALID', $3, '{}', $4::jsonb)`,
        [`b2s${position}`, position, state, frozen(account, service, zip)],
      );
    }
    const open = await funding.openDemand('t1', 'ca1', 10);
    expect(open.map((d) => [d.carrierAccountId, d.serviceLevelToken, d.count, d.shapes.map((x) => x.count)])).toEqual([
      ['ca1', 'usps_priority', 8, [3, 3, 1, 1]],
      ['ca1', 'usps_first_class', 1, [1]],
    ]);
    expect(open[0].shapes.map(zipOf)).toEqual(['94103', '10001', '60601', '94103']);
    expect((await funding.openDemand('t1', 'ca1', 1)).map((d) => [d.count, d.shapes.length])).toEqual([
      [8, 1],
      [1, 1],
    ]);
    expect((await funding.openDemand('t1', 'ca2', 10)).map((d) => d.count)).toEqual([2]);
    expect(await funding.openDemand('t2', 'ca1', 10)).toEqual([]);
  });
});
