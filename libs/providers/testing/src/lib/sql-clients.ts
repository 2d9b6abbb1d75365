import { PGlite, type Transaction } from '@electric-sql/pglite';
import { Pool, type PoolClient } from 'pg';
import type { SqlClient } from '@shipbatch/providers/core';

type Queryable = { query: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }> };

function wrap(q: Queryable, transaction: SqlClient['transaction']): SqlClient {
  return {
    query: async <T>(sql: string, params: unknown[] = []) => (await q.query(sql, params)).rows as T[],
    transaction,
  };
}

/** A SqlClient over an in-memory PGlite: fast provider tests with real PostgreSQL semantics. */
export async function createPgliteSqlClient(): Promise<{ client: SqlClient; close(): Promise<void> }> {
  const db = await PGlite.create();
  const inTx = (tx: Transaction): SqlClient => wrap(tx, (work) => work(inTx(tx)));
  const client = wrap(db, (work) => db.transaction((tx) => work(inTx(tx))));
  return { client, close: () => db.close() };
}

/** A SqlClient over a `pg` pool, for tests against a real PostgreSQL server. */
export function createPgSqlClient(connectionString: string): { client: SqlClient; close(): Promise<void> } {
  const pool = new Pool({ connectionString, max: 5 });
  const onConnection = (c: PoolClient): SqlClient => wrap(c, (work) => work(onConnection(c)));
  const client = wrap(pool, async (work) => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const result = await work(onConnection(c));
      await c.query('COMMIT');
      return result;
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      c.release();
    }
  });
  return { client, close: () => pool.end() };
}
