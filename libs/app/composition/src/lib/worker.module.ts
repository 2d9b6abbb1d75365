import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@shipbatch/platform/config';
import { ShippingWorkerModule } from '@shipbatch/shipping/worker';
import { CarrierAccountsBootCheck } from '@shipbatch/shipping/application';
import { coreImports } from './core.imports';
import type { LogOptions } from './logging';

/** The worker process (scale-out): BullMQ processors and the reconciler, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, logging: LogOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      global: true,
      // Stored carrier accounts are checked against their providers' options at every start.
      providers: [CarrierAccountsBootCheck],
      imports: [...coreImports(config, 'worker', logging), ShippingWorkerModule],
    };
  }
}
