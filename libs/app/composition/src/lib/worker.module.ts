import { type DynamicModule, Module } from '@nestjs/common';
import { AUTH_ENTITIES } from '@shipbatch/platform/auth';
import { type AppConfig, ConfigModule } from '@shipbatch/platform/config';
import { DatabaseModule } from '@shipbatch/platform/database';
import { ACCOUNT_THROTTLE, QueueModule } from '@shipbatch/platform/queue';
import { PURCHASE_THROTTLE, QUEUES } from '@shipbatch/shipping/application';
import { SHIPPING_ENTITIES, ShippingDataAccessModule } from '@shipbatch/shipping/data-access';
import { ShippingWorkerModule } from '@shipbatch/shipping/worker';

/** The worker process (scale-out): BullMQ processors and the reconciler, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      global: true,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot([...AUTH_ENTITIES, ...SHIPPING_ENTITIES]),
        QueueModule.forRoot({
          redisUrl: config.redisUrl,
          prefix: config.queuePrefix,
          queues: Object.values(QUEUES),
          runWorkers: true,
        }),
        ShippingDataAccessModule,
        ShippingWorkerModule,
      ],
      providers: [{ provide: PURCHASE_THROTTLE, useExisting: ACCOUNT_THROTTLE }],
      exports: [PURCHASE_THROTTLE],
    };
  }
}
