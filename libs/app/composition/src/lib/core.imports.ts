import type { DynamicModule, Type } from '@nestjs/common';
import { AUTH_ENTITIES } from '@shipbatch/platform/auth';
import { type AppConfig, ConfigModule } from '@shipbatch/platform/config';
import { DatabaseModule } from '@shipbatch/platform/database';
import { QueueModule } from '@shipbatch/platform/queue';
import { QUEUES } from '@shipbatch/shipping/application';
import { SHIPPING_ENTITIES, ShippingDataAccessModule } from '@shipbatch/shipping/data-access';

/** What every process needs: configuration, the database, the queue and the shipping ports. */
export function coreImports(config: AppConfig): Array<DynamicModule | Type> {
  return [
    ConfigModule.forRoot(config),
    DatabaseModule.forRoot([...AUTH_ENTITIES, ...SHIPPING_ENTITIES]),
    QueueModule.forRoot({
      redisUrl: config.redisUrl,
      prefix: config.queuePrefix,
      queues: Object.values(QUEUES),
      runWorkers: config.runWorkers,
    }),
    ShippingDataAccessModule,
  ];
}

