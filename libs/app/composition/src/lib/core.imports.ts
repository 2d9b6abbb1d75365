import type { DynamicModule, Type } from '@nestjs/common';
import { AUTH_ENTITIES } from '@shipbatch/platform/auth';
import { type AppConfig, ConfigModule } from '@shipbatch/platform/config';
import { DatabaseModule } from '@shipbatch/platform/database';
import { QueueModule } from '@shipbatch/platform/queue';
import { ProviderRuntimeModule } from '@shipbatch/providers/runtime';
import { QUEUES } from '@shipbatch/shipping/application';
import { LocalFileStorageModule, SHIPPING_ENTITIES, SHIPPING_MIGRATIONS, ShippingDataAccessModule } from '@shipbatch/shipping/data-access';
import { LabelMergerModule } from '@shipbatch/shipping/label-merger';
import { ObjectStorageModule } from '@shipbatch/shipping/object-storage';
import { LoggerModule } from 'nestjs-pino';
import { ObservabilityModule } from './metrics/observability.module';
import { type LogOptions, loggerParams, type ProcessName } from './logging';

/** What every process needs: logs, configuration, the database, the queue, metrics and probes, what providers are handed at run time, the shipping ports, the label files' driver and the label merger. */
export function coreImports(config: AppConfig, process: ProcessName, logging: LogOptions = {}): Array<DynamicModule | Type> {
  return [
    LoggerModule.forRoot(loggerParams(config.logLevel, process, logging)),
    ConfigModule.forRoot(config),
    // Shipping's migrations make every table, platform/auth's too (its first schema did).
    DatabaseModule.forRoot({ entities: [...AUTH_ENTITIES, ...SHIPPING_ENTITIES], migrations: SHIPPING_MIGRATIONS }),
    QueueModule.forRoot({
      redisUrl: config.redisUrl,
      prefix: config.queuePrefix,
      queues: Object.values(QUEUES),
      runWorkers: config.runWorkers,
      concurrency: {
        [QUEUES.purchaseShipment]: config.workers.concurrency.purchase,
        [QUEUES.purchaseExpress]: config.workers.concurrency.purchaseExpress,
        [QUEUES.mergeLabelFiles]: config.workers.concurrency.merge,
        [QUEUES.nativeBatch]: config.workers.concurrency.nativeBatch,
        [QUEUES.webhookDelivery]: config.workers.concurrency.webhookDelivery,
      },
    }),
    ObservabilityModule.forRoot(config, process),
    ProviderRuntimeModule,
    ShippingDataAccessModule,
    // FILE_STORAGE: one driver per process, as AppConfig says (FILE_STORAGE=local|s3).
    config.fileStorage.driver === 's3' ? ObjectStorageModule : LocalFileStorageModule,
    LabelMergerModule,
  ];
}

