import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import { MIGRATIONS } from './migrations';

export interface DataSourceSettings {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  /** Connections in the pool; 1 for the embedded database (PGlite is single-connection). */
  poolSize: number;
  logging?: boolean;
}

/**
 * One TypeORM data source for both modes. `synchronize` is off everywhere: the schema
 * comes only from the checked-in migrations.
 */
export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    entities: settings.entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: settings.logging ? ['error', 'warn', 'migration'] : ['error'],
    extra: { max: settings.poolSize, idleTimeoutMillis: 30_000 },
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
 * Every checked-in migration is recorded already (the usual restart): one query instead of
 * TypeORM's pass over its tables and migration classes, about 0.3 s of an embedded start.
 * Anything else (no table yet, one missing) goes the full way, under the lock.
 */
async function allApplied(dataSource: DataSource): Promise<boolean> {
  try {
    // A new database has no table yet: asked first, so that no failed query lands in the log.
    const [table]: Array<{ t: string | null }> = await dataSource.query(`SELECT to_regclass('schema_migrations') AS t`);
    if (!table?.t) return false;
    const rows: Array<{ name: string }> = await dataSource.query('SELECT name FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.name));
    return MIGRATIONS.every((m) => applied.has(new m().name as string));
  } catch {
    return false;
  }
}
