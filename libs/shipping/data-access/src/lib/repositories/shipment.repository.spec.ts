import { openDatabase, type DatabaseHandle } from '@shipbatch/platform/database';
import { createTestDatabase, tempDir, type TestDatabase } from '@shipbatch/platform/testing';
import { SHIPPING_ENTITIES } from '../entities';
import { TypeormAddressRepository } from './address.repository';
import { TypeormParcelRepository } from './parcel.repository';
import { TypeormShipmentRepository } from './shipment.repository';
import { SHIPPING_MIGRATIONS } from '../migrations';

/**
 * Shippo's list routes read these pages: newest first, ties (a batch's rows share one
 * created_at) broken by id, exact totals, tenants apart; a shipment comes with its objects.
 */
describe.each([
  ['PostgreSQL', true],
  ['embedded PGlite', false],
])('shipment, address and parcel pages on %s', (_name, onPostgres) => {
  let testDb: TestDatabase | undefined;
  let db: DatabaseHandle;
  let shipments: TypeormShipmentRepository;
  let addresses: TypeormAddressRepository;
  let parcels: TypeormParcelRepository;

  beforeAll(async () => {
    testDb = onPostgres ? await createTestDatabase('shipbatch_test_shipments') : undefined;
    db = await openDatabase({ databaseUrl: testDb?.url, dataDir: tempDir('shipbatch-shipments-') }, { entities: SHIPPING_ENTITIES, migrations: SHIPPING_MIGRATIONS });
    const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
    await q(`INSERT INTO tenants (id, name) VALUES ('t1', 'acme'), ('t2', 'globex')`);
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
    // Two addresses and a parcel per shipment; s3 and s4 share a created_at, as one batch's do.
    const made = [
      ['s1', 't1', at(1)],
      ['s2', 't1', at(2)],
      ['s3', 't1', at(3)],
      ['s4', 't1', at(3)],
      ['s5', 't2', at(4)],
    ] as const;
    for (const [id, tenant, createdAt] of made) {
      for (const side of ['from', 'to']) {
        await q(`INSERT INTO addresses (id, tenant_id, name, street1, city, zip, country, created_at, updated_at) VALUES ($1, $2, $3, '1 Main St', 'Austin', '78701', 'US', $4, $4)`, [
          `a-${side}-${id}`,
          tenant,
          `${side} ${id}`,
          createdAt,
        ]);
      }
      await q(`INSERT INTO parcels (id, tenant_id, length, width, height, distance_unit, weight, mass_unit, created_at, updated_at) VALUES ($1, $2, '10', '8', '4', 'in', '2', 'lb', $3, $3)`, [
        `p-${id}`,
        tenant,
        createdAt,
      ]);
      await q(
        `INSERT INTO shipments (id, tenant_id, address_from_id, address_to_id, parcel_ids, object_purpose, metadata, created_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, 'PURCHASE', $6, $7)`,
        [id, tenant, `a-from-${id}`, `a-to-${id}`, JSON.stringify([`p-${id}`, 'p-missing']), `meta ${id}`, createdAt],
      );
    }
    shipments = new TypeormShipmentRepository(db.dataSource);
    addresses = new TypeormAddressRepository(db.dataSource);
    parcels = new TypeormParcelRepository(db.dataSource);
  });

  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('pages shipments newest first, ties by id descending, with the exact total of the tenant', async () => {
    const first = await shipments.list('t1', { offset: 0, limit: 3 });
    expect(first.total).toBe(4);
    expect(first.items.map((s) => s.id)).toEqual(['s4', 's3', 's2']);
    const second = await shipments.list('t1', { offset: 3, limit: 3 });
    expect(second.items.map((s) => s.id)).toEqual(['s1']);
    expect((await shipments.list('t1', { offset: 9, limit: 3 })).items).toEqual([]);
    expect((await shipments.list('t2', { offset: 0, limit: 10 })).items.map((s) => s.id)).toEqual(['s5']);
  });

  it('reads a shipment with its addresses and parcels as objects, leaving out what does not resolve', async () => {
    const s = await shipments.findById('t1', 's2');
    expect(s).toMatchObject({
      id: 's2',
      tenantId: 't1',
      metadata: 'meta s2',
      addressFrom: { id: 'a-from-s2', name: 'from s2', street1: '1 Main St' },
      addressTo: { id: 'a-to-s2', name: 'to s2' },
      addressReturn: null,
    });
    expect(s?.parcels.map((p) => p.id)).toEqual(['p-s2']);
    expect(await shipments.findById('t2', 's2')).toBeNull();
  });

  it('pages addresses and parcels the same way', async () => {
    const a = await addresses.list('t1', { offset: 0, limit: 3 });
    expect(a.total).toBe(8);
    expect(a.items.map((x) => x.id)).toEqual(['a-to-s4', 'a-to-s3', 'a-from-s4']);
    const p = await parcels.list('t1', { offset: 1, limit: 2 });
    expect(p.total).toBe(4);
    expect(p.items.map((x) => x.id)).toEqual(['p-s3', 'p-s2']);
    expect((await parcels.list('t2', { offset: 0, limit: 5 })).items.map((x) => x.id)).toEqual(['p-s5']);
  });
});
