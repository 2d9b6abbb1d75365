import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@shipbatch/platform/config';
import { ShippingWorkerModule } from '@shipbatch/shipping/worker';
import { coreImports } from './core.imports';

/** The worker process (scale-out): BullMQ processors and the reconciler, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      global: true,
      imports: [...coreImports(config), ShippingWorkerModule],
    };
  }
}
