import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DatabaseHandle } from '@shipbatch/platform/database';
import { createTestDatabase, type TestDatabase } from '@shipbatch/platform/testing';
import { TypeormBatchRepository } from './batch.repository';
import { TypeormPurchaseRepository } from './purchase.repository';

const shipment = { shipment: { address_from: 'a', address_to: 'b', parcel: 'p' } };

describe.each([
  ['PostgreSQL', true],
  ['embedded PGlite', false],
])('batch and purchase repositories on %s', (_name, onPostgres) => {
  let testDb: TestDatabase | undefined;
  let db: DatabaseHandle;
  let batches: TypeormBatchRepository;
  let purchases: TypeormPurchaseRepository;
  const claimOne = async (id: string, leaseMs: number) => (await purchases.claimMany([id], leaseMs))[0] ?? null;

  beforeAll(async () => {
    testDb = onPostgres ? await createTestDatabase('shipbatch_test_repo') : undefined;
    db = await openDatabase({ databaseUrl: testDb?.url, dataDir: mkdtempSync(join(tmpdir(), 'shipbatch-repo-')) }, []);
    await db.dataSource.query(`INSERT INTO tenants (id, name) VALUES ('t1', 'acme')`);
    batches = new TypeormBatchRepository(db.dataSource);
    purchases = new TypeormPurchaseRepository(db.dataSource);
  });
  afterAll(async () => {
    await db.close();
    await testDb?.drop();
  });

  const newBatch = (id: string, n: number) =>
    batches.create(
      { id, tenantId: 't1', defaultCarrierAccount: 'ca', defaultServicelevelToken: 'usps_priority', labelFiletype: 'PDF_4x6', metadata: '' },
      Array.from({ length: n }, (_, i) => ({ id: `${id}-s${i}`, input: shipment })),
    );

  it('stores 10,000 shipments in one call, in request order', async () => {
    await newBatch('big', 10_000);
    const [row] = await db.dataSource.query(
      `SELECT count(*) AS n, min(position) AS lo, max(position) AS hi FROM batch_shipments WHERE batch_id = 'big'`,
    );
    expect({ n: Number(row.n), lo: Number(row.lo), hi: Number(row.hi) }).toEqual({ n: 10_000, lo: 1, hi: 10_000 });
    const counts = await batches.counts('big');
    expect(counts.pending).toBe(10_000);
  });

  it('lets exactly one of two racing workers claim a shipment, and the next claimant after a crash looks it up', async () => {
    await newBatch('race', 1);
    await db.dataSource.query(
      `UPDATE batch_shipments SET status = 'VALID', purchase_state = 'QUEUED', purchase_command = '{"carrierAccountId":"ca"}' WHERE batch_id = 'race'`,
    );
    const claims = await Promise.all([claimOne('race-s0', 60_000), claimOne('race-s0', 60_000)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(claims.find(Boolean)?.lookupRequired).toBe(false);
    expect(await claimOne('race-s0', 60_000)).toBeNull();

    // The worker died: its lease runs out and the next claim must look the purchase up first.
    await db.dataSource.query(`UPDATE batch_shipments SET lease_until = now() - interval '1 second' WHERE id = 'race-s0'`);
    const again = await claimOne('race-s0', 60_000);
    expect(again?.lookupRequired).toBe(true);
  });

  it('claims a group in one statement and records its labels, events and states in one step, once', async () => {
    await db.dataSource.query(
      `INSERT INTO carrier_accounts (id, tenant_id, provider, carrier, account_id, parameters_sealed) VALUES ('ca', 't1', 'mock', 'usps', 'acct', 'x')`,
    );
    await newBatch('group', 3);
    const command = { carrier: 'usps', serviceLevelToken: 'usps_priority', shipment: { addressFrom: {}, addressTo: {}, parcels: [] }, labelFileType: 'PDF_4x6' };
    await db.dataSource.query(
      `UPDATE batch_shipments SET status = 'VALID', purchase_state = 'QUEUED', purchase_command = $1 WHERE batch_id = 'group'`,
      [JSON.stringify({ carrierAccountId: 'ca', command, warehouseId: null, externalShipmentId: null, isInternational: false })],
    );
    const claims = await purchases.claimMany(['group-s2', 'group-s0', 'group-s1', 'nope'], 60_000);
    expect(claims.map((c) => c.id)).toEqual(['group-s0', 'group-s1', 'group-s2']);
    expect(await purchases.claimMany(['group-s0'], 60_000)).toEqual([]);

    const label = (n: number) => ({
      providerLabelId: `p${n}`,
      reference: `group-s${n}`,
      trackingNumber: `T${n}`,
      carrier: 'usps',
      serviceLevelToken: 'usps_priority',
      cost: { amountMinor: 758, currency: 'USD' },
      createdAt: new Date().toISOString(),
    });
    await purchases.recordPurchasedMany(claims.slice(0, 2).map((claim, n) => ({ claim, label: label(n), file: null })));
    // A second worker records the same shipments again (its lease ran out): nothing doubles.
    await purchases.recordPurchasedMany(claims.map((claim, n) => ({ claim, label: label(n + 10), file: null })));

    const rows = await db.dataSource.query(
      `SELECT b.id, b.purchase_state, l.tracking_number, l.currency, b.transaction_id = l.id AS linked
       FROM batch_shipments b LEFT JOIN labels l ON l.batch_shipment_id = b.id WHERE b.batch_id = 'group' ORDER BY b.position`,
    );
    expect(rows).toEqual([
      { id: 'group-s0', purchase_state: 'PURCHASED', tracking_number: 'T0', currency: 'usd', linked: true },
      { id: 'group-s1', purchase_state: 'PURCHASED', tracking_number: 'T1', currency: 'usd', linked: true },
      { id: 'group-s2', purchase_state: 'PURCHASED', tracking_number: 'T12', currency: 'usd', linked: true },
    ]);
    const [{ n }] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE type = 'transaction_created' AND object_id IN (SELECT id FROM labels WHERE batch_id = 'group')`,
    );
    expect(n).toBe(3);
  });
});
