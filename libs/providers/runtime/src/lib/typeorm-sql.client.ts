import type { DataSource, EntityManager } from 'typeorm';
import { normalizeRows } from '@shipbatch/platform/database';
import type { SqlClient } from '@shipbatch/providers/core';

/**
 * The SqlClient port over TypeORM, for providers that keep durable state of their own
 * (the mock). Inside `transaction` every query goes through the transaction's manager:
 * with the single-connection embedded database anything else would wait forever.
 */
export class TypeormSqlClient implements SqlClient {
  constructor(
    private readonly dataSource: DataSource,
    private readonly manager?: EntityManager,
  ) {}

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await (this.manager ?? this.dataSource).query(sql, params);
    return normalizeRows<T>(result);
  }

  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
    if (this.manager) return work(this);
    return this.dataSource.transaction((manager) => work(new TypeormSqlClient(this.dataSource, manager)));
  }
}
