import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@shipbatch/platform/auth';
import type { AppConfig } from '@shipbatch/platform/config';
import { ShippingApiModule } from '@shipbatch/shipping/api';
import { ShippingWorkerModule } from '@shipbatch/shipping/worker';
import { CarrierAccountsBootCheck } from '@shipbatch/shipping/application';
import { coreImports } from './core.imports';
import type { LogOptions } from './logging';

/**
 * The API process. Embedded mode (no DATABASE_URL) also hosts the workers on the in-process
 * queue; in scale-out mode workers run in apps/worker and this process only enqueues.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logging: LogOptions = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      // Stored carrier accounts are checked against their providers' options at every start.
      providers: [CarrierAccountsBootCheck],
      imports: [
        ...coreImports(config, 'api', logging),
        AuthModule,
        ShippingApiModule,
        ...(config.runWorkers ? [ShippingWorkerModule] : []),
      ],
    };
  }
}
