import { createPgliteSqlClient } from './sql-clients';

describe('createPgliteSqlClient', () => {
  it('commits a transaction and rolls one back on error', async () => {
    const { client, close } = await createPgliteSqlClient();
    await client.query('CREATE TABLE t (n int)');
    await client.transaction(async (tx) => tx.query('INSERT INTO t VALUES (1)'));
    await expect(
      client.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (2)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await client.query('SELECT n FROM t')).toEqual([{ n: 1 }]);
    await close();
  });
});
