import { type DynamicModule, Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import type { DatabaseSchema } from './database-schema';

import { type DatabaseHandle, openDatabase } from './open-database';

import { DATABASE_HANDLE, DATA_DIR_LOCK } from './tokens';


@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  constructor(@Inject(DATABASE_HANDLE) private readonly handle: DatabaseHandle) {}

  async onApplicationShutdown(): Promise<void> {
    await this.handle.close();
    this.logger.log('database closed');
  }
}

/**
 * The data source for both modes: PostgreSQL at DATABASE_URL, or embedded PGlite in
 * DATA_DIR. The migrations the composition hands in (`schema.migrations`, from the libraries
 * that own the tables) run before the application takes requests.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(schema: DatabaseSchema): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DATABASE_HANDLE,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => openDatabase(config, schema),
        },
        { provide: DataSource, inject: [DATABASE_HANDLE], useFactory: (h: DatabaseHandle) => h.dataSource },
        { provide: DATA_DIR_LOCK, inject: [DATABASE_HANDLE], useFactory: (h: DatabaseHandle) => h.lock ?? null },
        DatabaseLifecycle,
      ],
      exports: [DataSource, DATA_DIR_LOCK],
    };
  }
}
