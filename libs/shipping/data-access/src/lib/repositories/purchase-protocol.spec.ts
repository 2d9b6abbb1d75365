import { openDatabase, type DatabaseHandle } from '@shipbatch/platform/database';
import { createTestDatabase, tempDir, type TestDatabase } from '@shipbatch/platform/testing';
import { IllegalTransitionError } from '@shipbatch/shipping/domain';
import { TypeormBatchRepository } from './batch.repository';
import { TypeormPurchaseRepository } from './purchase.repository';
import { TypeormValidationRepository } from './validation.repository';
import { SHIPPING_MIGRATIONS } from '../migrations';

const shipment = { shipment: { address_from: 'a', address_to: 'b', parcel: 'p' } };

describe.each([
  ['PostgreSQL', true],
  ['embedded PGlite', false],
])('batch and purchase repositories on %s', (_name, onPostgres) => {
  let testDb: TestDatabase | undefined;
  let db: DatabaseHandle;
  let batches: TypeormBatchRepository;
  let purchases: TypeormPurchaseRepository;
  let validation: TypeormValidationRepository;
  const claimOne = async (id: string, leaseMs: number) => (await purchases.claimMany([id], leaseMs))[0] ?? null;

  beforeAll(async () => {
    testDb = onPostgres ? await createTestDatabase('shipbatch_test_repo') : undefined;
    db = await openDatabase({ databaseUrl: testDb?.url, dataDir: tempDir('shipbatch-repo-') }, { entities: [], migrations: SHIPPING_MIGRATIONS });
    await db.dataSource.query(`INSERT INTO tenants (id, name) VALUES ('t1', 'acme')`);
    batches = new TypeormBatchRepository(db.dataSource);
    purchases = new TypeormPurchaseRepository(db.dataSource);
    validation = new TypeormValidationRepository(db.dataSource);
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

  const statusOf = async (id: string) => (await db.dataSource.query(`SELECT status FROM batches WHERE id = $1`, [id]))[0].status;
  const eventsOf = async (id: string, type: string) =>
    Number((await db.dataSource.query(`SELECT count(*) AS n FROM outbox_events WHERE object_id = $1 AND type = $2`, [id, type]))[0].n);

  it('refuses an illegal batch transition in the domain and in SQL: purchase_requested on a PURCHASED batch changes nothing', async () => {
    await newBatch('done', 1);
    await db.dataSource.query(`UPDATE batches SET status = 'VALID' WHERE id = 'done'`);
    const stale = await batches.findById('t1', 'done'); // read while VALID ...
    if (!stale) throw new Error('batch not found');
    await db.dataSource.query(`UPDATE batches SET status = 'PURCHASED' WHERE id = 'done'`); // ... purchased meanwhile
    const before = (await db.dataSource.query(`SELECT updated_at FROM batches WHERE id = 'done'`))[0].updated_at;

    await expect(
      batches.withLockedBatch('t1', 'done', async (scope) => scope.apply(scope.batch.transition('purchase_requested'))),
    ).rejects.toThrow(IllegalTransitionError);
    // A step made from the stale read is refused by the conditional update itself.
    await expect(batches.withLockedBatch('t1', 'done', (scope) => scope.apply(stale.transition('purchase_requested')))).rejects.toThrow(
      /purchase_requested is not allowed from PURCHASED/,
    );
    expect(await statusOf('done')).toBe('PURCHASED');
    expect((await db.dataSource.query(`SELECT updated_at FROM batches WHERE id = 'done'`))[0].updated_at).toEqual(before);
  });

  it('finishes validation once, as the domain decides from the rows, with one batch_created event', async () => {
    await newBatch('val', 3);
    expect(await validation.finishValidation('val')).toBeNull(); // all still PENDING
    await db.dataSource.query(`UPDATE batch_shipments SET status = 'VALID' WHERE batch_id = 'val'`);
    const results = await Promise.all([validation.finishValidation('val'), validation.finishValidation('val')]);
    expect(results.filter(Boolean)).toEqual(['VALID']);
    expect(await statusOf('val')).toBe('VALID');
    expect(await eventsOf('val', 'batch_created')).toBe(1);
    expect(await validation.finishValidation('val')).toBeNull();

    await newBatch('val2', 2);
    await db.dataSource.query(`UPDATE batch_shipments SET status = 'VALID' WHERE id = 'val2-s0'`);
    await db.dataSource.query(`UPDATE batch_shipments SET status = 'INCOMPLETE' WHERE id = 'val2-s1'`);
    expect(await validation.finishValidation('val2')).toBe('INVALID');
  });

  it('finishes validation when a removal leaves a VALIDATING batch nothing to validate', async () => {
    await newBatch('rm', 2);
    await db.dataSource.query(`UPDATE batch_shipments SET status = 'VALID' WHERE id = 'rm-s0'`);
    await batches.withLockedBatch('t1', 'rm', async (scope) => {
      await scope.removeShipments(['rm-s1']);
      const step = scope.batch.afterShipmentsRemoved(await scope.counts());
      expect(step?.name).toBe('validation_finished_valid');
      if (step) await scope.apply(step);
    });
    expect(await statusOf('rm')).toBe('VALID');
    expect(await eventsOf('rm', 'batch_created')).toBe(1);
    expect(await validation.finishValidation('rm')).toBeNull();
  });

  it('lets a stale worker write nothing: requeue or fail after the shipment was settled changes nothing', async () => {
    await newBatch('stale', 1);
    await db.dataSource.query(
      `UPDATE batch_shipments SET status = 'VALID', purchase_state = 'QUEUED', purchase_command = '{"carrierAccountId":"ca"}' WHERE batch_id = 'stale'`,
    );
    const claim = await claimOne('stale-s0', 60_000);
    if (!claim) throw new Error('not claimed');
    // Two workers settle the same attempt at once (one after a lease takeover): one wins.
    await Promise.all([
      purchases.recordFailed(claim, { source: 'mock', code: 'x', text: 'x' }, false),
      purchases.requeue(claim, { countFailure: true, lookupRequired: false }),
    ]);
    const [row] = await db.dataSource.query(
      `SELECT status, purchase_state, failures, queue_token FROM batch_shipments WHERE id = 'stale-s0'`,
    );
    expect(Number(row.failures)).toBe(1);
    expect([
      { status: 'TRANSACTION_FAILED', purchase_state: 'FAILED', token: claim.queueToken },
      { status: 'VALID', purchase_state: 'QUEUED', token: claim.queueToken + 1 },
    ]).toContainEqual({ status: row.status, purchase_state: row.purchase_state, token: Number(row.queue_token) });

    // Whatever won, the shipment is now failed: a late requeue or fail of the old claim is refused.
    await db.dataSource.query(`UPDATE batch_shipments SET status = 'TRANSACTION_FAILED', purchase_state = 'FAILED' WHERE id = 'stale-s0'`);
    expect(await purchases.requeue(claim, { countFailure: true, lookupRequired: true })).toBe(claim.queueToken);
    await purchases.recordFailed(claim, { source: 'mock', code: 'late', text: 'late' }, true);
    const [after] = await db.dataSource.query(
      `SELECT status, purchase_state, failures, lookup_required, messages FROM batch_shipments WHERE id = 'stale-s0'`,
    );
    expect({ ...after, failures: Number(after.failures) }).toMatchObject({
      status: 'TRANSACTION_FAILED',
      purchase_state: 'FAILED',
      failures: 1,
      lookup_required: false,
    });
    expect(await claimOne('stale-s0', 60_000)).toBeNull(); // FAILED is not claimable
  });

  it('hands back, in one statement, only the claims still held: QUEUED under a new token, lookup and failures kept', async () => {
    await newBatch('back', 5);
    await db.dataSource.query(
      `UPDATE batch_shipments SET status = 'VALID', purchase_state = 'QUEUED', purchase_command = '{"carrierAccountId":"ca"}' WHERE batch_id = 'back'`,
    );
    await db.dataSource.query(`UPDATE batch_shipments SET lookup_required = true, failures = 2 WHERE id = 'back-s1'`);
    const claims = await purchases.claimMany(['back-s0', 'back-s1', 'back-s2', 'back-s3', 'back-s4'], 60_000);
    expect(claims.map((c) => c.attempt)).toEqual([1, 1, 1, 1, 1]);
    const [s0, s1, s2, s3, s4] = claims;
    // s2 was settled meanwhile; s3's lease ran out and another worker took it over (attempt 2); s4's lease ran out.
    await purchases.recordFailed(s2, { source: 'mock', code: 'x', text: 'x' }, false);
    await db.dataSource.query(`UPDATE batch_shipments SET lease_until = now() - interval '1 second' WHERE id IN ('back-s3', 'back-s4')`);
    const takenOver = await claimOne('back-s3', 60_000);
    expect(takenOver?.attempt).toBe(2);

    const back = await purchases.handBack([s0, s1, s2, s3, s4]);
    expect(back.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'back-s0', queueToken: s0.queueToken + 1 },
      { id: 'back-s1', queueToken: s1.queueToken + 1 },
    ]);
    const rows = await db.dataSource.query(
      `SELECT id, purchase_state, lease_until IS NULL AS unleased, lookup_required, failures::int AS failures, queue_token::int AS token
       FROM batch_shipments WHERE batch_id = 'back' ORDER BY position`,
    );
    expect(rows).toEqual([
      { id: 'back-s0', purchase_state: 'QUEUED', unleased: true, lookup_required: false, failures: 0, token: s0.queueToken + 1 },
      { id: 'back-s1', purchase_state: 'QUEUED', unleased: true, lookup_required: true, failures: 2, token: s1.queueToken + 1 },
      { id: 'back-s2', purchase_state: 'FAILED', unleased: true, lookup_required: false, failures: 1, token: s2.queueToken },
      { id: 'back-s3', purchase_state: 'PURCHASING', unleased: false, lookup_required: true, failures: 0, token: s3.queueToken },
      { id: 'back-s4', purchase_state: 'PURCHASING', unleased: false, lookup_required: false, failures: 0, token: s4.queueToken },
    ]);
    // Handed back, claimable at once by another worker (no lease to wait for); a second hand-back changes nothing.
    expect((await claimOne('back-s1', 60_000))?.lookupRequired).toBe(true);
    expect(await purchases.handBack([s0, s1])).toEqual([]);
    expect(await purchases.handBack([])).toEqual([]);
  });

  it('counts a tenant\'s shipments queued or being bought in its purchasing batches, up to one past the limit asked', async () => {
    await db.dataSource.query(`INSERT INTO tenants (id, name) VALUES ('t-open', 'open'), ('t-other', 'other')`);
    const make = async (tenantId: string, id: string, status: string, states: string[]) => {
      await batches.create(
        { id, tenantId, defaultCarrierAccount: 'ca', defaultServicelevelToken: 'usps_priority', labelFiletype: 'PDF_4x6', metadata: '' },
        states.map((_, i) => ({ id: `${id}-s${i}`, input: shipment })),
      );
      await db.dataSource.query(`UPDATE batches SET status = $2 WHERE id = $1`, [id, status]);
      for (const [i, state] of states.entries()) {
        await db.dataSource.query(`UPDATE batch_shipments SET status = 'VALID', purchase_state = $2 WHERE id = $1`, [`${id}-s${i}`, state]);
      }
    };
    expect(await batches.openPurchases('t-open', 40)).toBe(0);
    await make('t-open', 'open-a', 'PURCHASING', ['QUEUED', 'QUEUED', 'PURCHASING', 'PURCHASED', 'FAILED']);
    await make('t-open', 'open-b', 'PURCHASING', ['PURCHASING', 'QUEUED']);
    // Not counted: a batch not purchasing, another tenant's.
    await make('t-open', 'open-c', 'VALID', ['QUEUED']);
    await make('t-other', 'other-a', 'PURCHASING', ['QUEUED', 'QUEUED']);
    expect(await batches.openPurchases('t-open', 40)).toBe(5);
    expect(await batches.openPurchases('t-open', 5)).toBe(5);
    expect(await batches.openPurchases('t-open', 3)).toBe(4);
    expect(await batches.openPurchases('t-other', 40)).toBe(2);
  });
});
