import { type DynamicModule, Module } from '@nestjs/common';
import { AUTH_ENTITIES, AuthModule } from '@shipbatch/platform/auth';
import { type AppConfig, ConfigModule } from '@shipbatch/platform/config';
import { DatabaseModule } from '@shipbatch/platform/database';
import { ACCOUNT_THROTTLE, QueueModule } from '@shipbatch/platform/queue';
import { PURCHASE_THROTTLE, QUEUES } from '@shipbatch/shipping/application';
import { ShippingApiModule } from '@shipbatch/shipping/api';
import { SHIPPING_ENTITIES, ShippingDataAccessModule } from '@shipbatch/shipping/data-access';
import { ShippingWorkerModule } from '@shipbatch/shipping/worker';

/**
 * The API process. Embedded mode (no DATABASE_URL) also hosts the workers on the in-process
 * queue; in scale-out mode workers run in apps/worker and this process only enqueues.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot([...AUTH_ENTITIES, ...SHIPPING_ENTITIES]),
        QueueModule.forRoot({
          redisUrl: config.redisUrl,
          prefix: config.queuePrefix,
          queues: Object.values(QUEUES),
          runWorkers: config.runWorkers,
        }),
        AuthModule,
        ShippingDataAccessModule,
        ShippingApiModule,
        ...(config.runWorkers ? [ShippingWorkerModule] : []),
      ],
      providers: [{ provide: PURCHASE_THROTTLE, useExisting: ACCOUNT_THROTTLE }],
      exports: [PURCHASE_THROTTLE],
    };
  }
}
