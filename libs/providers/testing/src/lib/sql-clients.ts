import { PGlite, type Transaction } from '@electric-sql/pglite';
import { Pool, type PoolClient } from 'pg';
import type { SqlClient } from '@shipbatch/providers/core';

type Queryable = { query: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }> };

export interface ClosableSqlClient {
  client: SqlClient;
  close(): Promise<void>;
}

function wrap(q: Queryable, transaction: SqlClient['transaction']): SqlClient {
  return {
    query: async <T>(sql: string, params: unknown[] = []) => (await q.query(sql, params)).rows as T[],
    transaction,
  };
}

/**
 * A SqlClient over a fresh in-memory PGlite (PostgreSQL in WASM): fast provider tests with
 * real PostgreSQL semantics. Transactions use `db.transaction`; a transaction begun inside one
 * joins it.
 */
export async function createPgliteSqlClient(): Promise<ClosableSqlClient> {
  const db = await PGlite.create();
  const inTx = (tx: Transaction): SqlClient => wrap(tx, (work) => work(inTx(tx)));
  const client = wrap(db, (work) => db.transaction((tx) => work(inTx(tx))));
  return { client, close: () => db.close() };
}

/**
 * A SqlClient over a `pg` pool, for tests against a real PostgreSQL server. Each transaction
 * takes one connection; a transaction begun inside one joins it.
 */
export function createPgSqlClient(connectionString: string, maxConnections = 5): ClosableSqlClient {
  const pool = new Pool({ connectionString, max: maxConnections });
  // An idle connection that the server ends (database dropped) must not crash the test process.
  pool.on('error', () => undefined);
  const onConnection = (c: PoolClient): SqlClient => wrap(c, (work) => work(onConnection(c)));
  const client = wrap(pool, async (work) => {
    const c = await pool.connect();
    let broken: Error | undefined;
    try {
      await c.query('BEGIN');
      const result = await work(onConnection(c));
      await c.query('COMMIT');
      return result;
    } catch (error) {
      await c.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw error;
    } finally {
      c.release(broken);
    }
  });
  return { client, close: () => pool.end() };
}
