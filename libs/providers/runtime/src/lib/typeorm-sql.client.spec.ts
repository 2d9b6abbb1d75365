import { openDatabase } from '@shipbatch/platform/database';
import { tempDir } from '@shipbatch/platform/testing';
import { TypeormSqlClient } from './typeorm-sql.client';

describe('TypeormSqlClient (embedded PGlite)', () => {
  it('serializes concurrent transactions on the single embedded connection', async () => {
    const dataDir = tempDir('shipbatch-db-');
    const handle = await openDatabase({ dataDir }, { entities: [], migrations: [] });
    const sql = new TypeormSqlClient(handle.dataSource);
    await sql.query(`CREATE TABLE counters (id text PRIMARY KEY, name text NOT NULL)`);
    await sql.query(`INSERT INTO counters (id, name) VALUES ('t1', '0')`);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        sql.transaction(async (tx) => {
          const [row] = await tx.query<{ name: string }>(`SELECT name FROM counters WHERE id = 't1' FOR UPDATE`);
          await tx.query(`UPDATE counters SET name = $1 WHERE id = 't1'`, [String(Number(row.name) + 1)]);
        }),
      ),
    );
    const [row] = await sql.query<{ name: string }>(`SELECT name FROM counters WHERE id = 't1'`);
    await handle.close();
    expect(row.name).toBe('20');
  });
});
