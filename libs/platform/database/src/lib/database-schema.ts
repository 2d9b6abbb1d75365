import type { EntitySchema, MigrationInterface, MixedList } from 'typeorm';

/** A migration class as TypeORM runs it: schema_migrations records its `name` (or class name). */
export type MigrationClass = new () => MigrationInterface;

/**
 * What a database is opened with, from the libraries that own its tables (the composition joins
 * their lists; this library owns no table and no migration).
 */
export interface DatabaseSchema {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  /**
   * Applied in this order, each once, before the database is handed out (oldest first). Empty:
   * the schema is used as it is and nothing is migrated (a command opening the service's database).
   */
  migrations: readonly MigrationClass[];
}
