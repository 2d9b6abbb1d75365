import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@shipbatch/platform/config';
import type { DataDirLock } from './data-dir-lock';

import type { DatabaseSchema } from './database-schema';

import { createDataSource, runMigrations } from './data-source.factory';

import { EmbeddedPostgres } from './embedded-postgres';


export interface DatabaseHandle {
  dataSource: DataSource;
  /** Embedded mode: this process's hold on DATA_DIR (released by `close`); undefined in scale-out. */
  lock?: DataDirLock;
  close(): Promise<void>;
}

const SCALE_OUT_POOL_SIZE = 20;

/**
 * Opens (and in embedded mode, starts) the database and applies the pending ones of
 * `schema.migrations`. Embedded, it first takes DATA_DIR's lock: DataDirLockedError when another
 * process holds it.
 */
export async function openDatabase(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir'> & Partial<Pick<AppConfig, 'embedded'>>,
  schema: DatabaseSchema,
): Promise<DatabaseHandle> {
  const logger = new Logger('Database');
  const embedded = config.databaseUrl ? undefined : await EmbeddedPostgres.start(config.dataDir, config.embedded);
  const url = config.databaseUrl ?? embedded?.url ?? '';
  const poolSize = embedded ? 1 : SCALE_OUT_POOL_SIZE;
  // Embedded: one connection, shared between tenants in turns (see FairPool).
  const dataSource = createDataSource({ url, ...schema, poolSize, fair: embedded !== undefined });
  try {
    await dataSource.initialize();
    await runMigrations(dataSource, poolSize);
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    await embedded?.stop();
    throw error;
  }
  logger.log(embedded ? `embedded PGlite in ${config.dataDir}/pglite` : 'PostgreSQL at DATABASE_URL');
  return {
    dataSource,
    ...(embedded?.lock ? { lock: embedded.lock } : {}),
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
