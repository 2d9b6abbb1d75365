import { openDatabase, type DatabaseHandle } from '@shipbatch/platform/database';
import { createTestDatabase, tempDir, type TestDatabase } from '@shipbatch/platform/testing';
import { TypeormIdempotencyStore } from './idempotency.store';
import { SHIPPING_MIGRATIONS } from '../migrations';

describe.each([
  ['PostgreSQL', true],
  ['embedded PGlite', false],
])('idempotency store on %s', (_name, onPostgres) => {
  let testDb: TestDatabase | undefined;
  let db: DatabaseHandle;
  let store: TypeormIdempotencyStore;

  beforeAll(async () => {
    testDb = onPostgres ? await createTestDatabase('shipbatch_test_idem') : undefined;
    db = await openDatabase({ databaseUrl: testDb?.url, dataDir: tempDir('shipbatch-idem-') }, { entities: [], migrations: SHIPPING_MIGRATIONS });
    await db.dataSource.query(`INSERT INTO tenants (id, name) VALUES ('t1', 'acme'), ('t2', 'other')`);
    store = new TypeormIdempotencyStore(db.dataSource);
  });
  afterAll(async () => {
    await db.close();
    await testDb?.drop();
  });

  it('gives a key to exactly one of two racing requests, then replays the stored answer', async () => {
    const [a, b] = await Promise.all([store.begin('t1', 'k1', 'h'), store.begin('t1', 'k1', 'h')]);
    expect([a, b].filter((r) => r === null)).toHaveLength(1);
    expect([a, b].find((r) => r !== null)).toMatchObject({ state: 'in_progress', requestHash: 'h' });
    await store.complete('t1', 'k1', 201, { object_id: 'x' });
    expect(await store.begin('t1', 'k1', 'other-hash')).toEqual({
      requestHash: 'h',
      state: 'done',
      statusCode: 201,
      response: { object_id: 'x' },
    });
    expect(await store.begin('t2', 'k1', 'h')).toBeNull();
  });

  it('frees a released key, and takes over an expired key or a dead request', async () => {
    expect(await store.begin('t1', 'k2', 'h')).toBeNull();
    await store.release('t1', 'k2');
    expect(await store.begin('t1', 'k2', 'h2')).toBeNull();

    await db.dataSource.query(`UPDATE idempotency_keys SET updated_at = now() - interval '10 minutes' WHERE key = 'k2'`);
    expect(await store.begin('t1', 'k2', 'h3')).toBeNull();

    await store.complete('t1', 'k2', 201, {});
    await db.dataSource.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'k2'`);
    expect(await store.begin('t1', 'k2', 'h4')).toBeNull();
    // A finished answer younger than 24 hours is never taken over.
    await store.complete('t1', 'k2', 201, {});
    await db.dataSource.query(`UPDATE idempotency_keys SET updated_at = now() - interval '10 minutes' WHERE key = 'k2'`);
    expect(await store.begin('t1', 'k2', 'h4')).toMatchObject({ state: 'done' });
  });
});
