import { DataSource } from 'typeorm';
import type { DatabaseSchema } from './database-schema';
import { fairPgDriver } from './fair-pool';


export interface DataSourceSettings extends DatabaseSchema {
  url: string;
  /** Connections in the pool; 1 for the embedded database (PGlite is single-connection). */
  poolSize: number;
  logging?: boolean;
  /** Checkouts served by work group in turns (FairPool): the embedded database's one connection is shared fairly between tenants. */
  fair?: boolean;
}

/**
 * One TypeORM data source for both modes. `synchronize` is off everywhere: the schema
 * comes only from the checked-in migrations its owners hand in (`settings.migrations`).
 */
export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    entities: settings.entities,
    migrations: [...settings.migrations],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: settings.logging ? ['error', 'warn', 'migration'] : ['error'],
    extra: { max: settings.poolSize, idleTimeoutMillis: 30_000 },
    ...(settings.fair ? { driver: fairPgDriver() } : {}),
  });
}

const MIGRATION_LOCK = 727_274_001;

/**
 * Applies pending migrations. Several processes may start at once in scale-out mode, so
 * the run holds a PostgreSQL advisory lock on a dedicated connection.
 */
export async function runMigrations(dataSource: DataSource, poolSize: number): Promise<void> {
  if (await allApplied(dataSource)) return;
  if (poolSize <= 1) {
    await dataSource.runMigrations();
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * Every migration the data source was given is recorded already (the usual restart): one query
 * instead of TypeORM's pass over its tables and migration classes, about 0.3 s of an embedded
 * start. Anything else (no table yet, one missing) goes the full way, under the lock.
 */
async function allApplied(dataSource: DataSource): Promise<boolean> {
  if (dataSource.migrations.length === 0) return true;
  try {
    // A new database has no table yet: asked first, so that no failed query lands in the log.
    const [table]: Array<{ t: string | null }> = await dataSource.query(`SELECT to_regclass('schema_migrations') AS t`);
    if (!table?.t) return false;
    const rows: Array<{ name: string }> = await dataSource.query('SELECT name FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.name));
    // TypeORM's own name of a migration: its `name`, else its class name.
    return dataSource.migrations.every((m) => applied.has(m.name ?? m.constructor.name));
  } catch {
    return false;
  }
}
