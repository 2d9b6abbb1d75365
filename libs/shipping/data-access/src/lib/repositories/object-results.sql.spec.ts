import { openDatabase, type DatabaseHandle } from '@shipbatch/platform/database';
import { createTestDatabase, tempDir, type TestDatabase } from '@shipbatch/platform/testing';
import { OBJECT_RESULTS } from '@shipbatch/shipping/domain';
import { TypeormBatchRepository } from './batch.repository';
import { SHIPPING_MIGRATIONS } from '../migrations';

const shipment = { shipment: { address_from: 'a', address_to: 'b', parcel: 'p' } };

/** One shipment in each place a batch's shipments can be: [status, purchase_state]. */
const ROWS = [
  ['VALID', 'NONE'],
  ['VALID', 'PURCHASED'],
  ['TRANSACTION_FAILED', 'FAILED'],
  ['INVALID', 'NONE'],
  ['INCOMPLETE', 'NONE'],
  ['PENDING', 'NONE'],
] as const;

describe.each([
  ['PostgreSQL', true],
  ['embedded PGlite', false],
])('object_results filters on %s', (_name, onPostgres) => {
  let testDb: TestDatabase | undefined;
  let db: DatabaseHandle;
  let batches: TypeormBatchRepository;

  beforeAll(async () => {
    testDb = onPostgres ? await createTestDatabase('shipbatch_test_results') : undefined;
    db = await openDatabase({ databaseUrl: testDb?.url, dataDir: tempDir('shipbatch-results-') }, { entities: [], migrations: SHIPPING_MIGRATIONS });
    await db.dataSource.query(`INSERT INTO tenants (id, name) VALUES ('t1', 'acme')`);
    batches = new TypeormBatchRepository(db.dataSource);
    await batches.create(
      { id: 'b', tenantId: 't1', defaultCarrierAccount: 'ca', defaultServicelevelToken: 'usps_priority', labelFiletype: 'PDF_4x6', metadata: '' },
      ROWS.map((_, i) => ({ id: `s${i}`, input: shipment })),
    );
    for (const [i, [status, purchaseState]] of ROWS.entries()) {
      await db.dataSource.query(`UPDATE batch_shipments SET status = $2, purchase_state = $3 WHERE id = $1`, [`s${i}`, status, purchaseState]);
    }
  });
  afterAll(async () => {
    await db.close();
    await testDb?.drop();
  });

  const ids = async (filter?: (typeof OBJECT_RESULTS)[number]) => {
    const page = await batches.listShipments('b', filter, 0, 100);
    return { ids: page.items.map((s) => s.id), total: page.total };
  };

  it('lists the shipments each filter names, as many as the counters count', async () => {
    const counts = await batches.counts('b');
    expect(counts.objectResults).toEqual({ purchase_succeeded: 1, purchase_failed: 1, creation_failed: 2, creation_succeeded: 3 });
    expect(await ids('purchase_succeeded')).toEqual({ ids: ['s1'], total: 1 });
    expect(await ids('purchase_failed')).toEqual({ ids: ['s2'], total: 1 });
    expect(await ids('creation_failed')).toEqual({ ids: ['s3', 's4'], total: 2 });
    expect(await ids('creation_succeeded')).toEqual({ ids: ['s0', 's1', 's2'], total: 3 });
    for (const filter of OBJECT_RESULTS) expect((await ids(filter)).total).toBe(counts.objectResults[filter]);
  });

  it('lists every validated shipment without a filter (a PENDING one is not shown)', async () => {
    expect(await ids()).toEqual({ ids: ['s0', 's1', 's2', 's3', 's4'], total: 5 });
  });
});
