import { createTestDatabase, type TestDatabase } from '@shipbatch/platform/testing';
import { type ClosableSqlClient, createPgliteSqlClient, createPgSqlClient } from './sql-clients';

const behavesLikeASqlClient = (open: () => Promise<ClosableSqlClient>) => {
  let db: ClosableSqlClient;
  beforeAll(async () => {
    db = await open();
    await db.client.query('CREATE TABLE t (n int)');
  });
  afterAll(() => db.close());

  it('runs parameterized queries and returns rows', async () => {
    expect(await db.client.query<{ x: number }>('SELECT $1::int + 1 AS x', [41])).toEqual([{ x: 42 }]);
  });

  it('commits a transaction, and rolls one back when its work throws', async () => {
    await db.client.transaction(async (tx) => tx.query('INSERT INTO t VALUES (1)'));
    await expect(
      db.client.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (2)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.client.query('SELECT n FROM t ORDER BY n')).toEqual([{ n: 1 }]);
  });

  it('joins a transaction begun inside another', async () => {
    await expect(
      db.client.transaction(async (tx) => {
        await tx.transaction(async (inner) => inner.query('INSERT INTO t VALUES (3)'));
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await db.client.query('SELECT n FROM t WHERE n = 3')).toEqual([]);
  });
};

describe('createPgliteSqlClient', () => {
  behavesLikeASqlClient(() => createPgliteSqlClient());
});

describe('createPgSqlClient', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('shipbatch_test_providers');
  });
  afterAll(() => database?.drop());

  behavesLikeASqlClient(async () => createPgSqlClient(database.url));

  it('keeps a transaction on one connection while others run', async () => {
    const { client, close } = createPgSqlClient(database.url, 2);
    const seen = await client.transaction(async (tx) => {
      await tx.query('CREATE TEMP TABLE only_here (n int) ON COMMIT DROP');
      await client.query('SELECT 1');
      return tx.query<{ n: number }>('SELECT count(*)::int AS n FROM only_here');
    });
    expect(seen).toEqual([{ n: 0 }]);
    await close();
  });
});
